package dev.lifeboat.api;

import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.runs.RunListQuery;
import dev.lifeboat.catalog.PageLimits;
import dev.lifeboat.common.LifeboatException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Pages of lists the API builds in memory (instances, snapshots, schedules), with the same opaque
 * keyset cursors as the catalog's lists: a cursor holds the sort key of the last item returned, so
 * the next page starts right after it even when items came or went in between.
 *
 * @param <T> the listed item
 */
public final class ListPages<T> {
  private static final String SEPARATOR = "\u001f";

  private final String tag;
  private final Function<T, List<String>> key;
  private final Function<List<String>, Predicate<T>> after;

  /**
   * @param tag names the list inside the cursor, so one list's cursor is refused by another
   * @param key the sort key of an item, as text parts
   * @param after given a cursor's key, whether an item sorts after it
   */
  public ListPages(String tag, Function<T, List<String>> key, Function<List<String>, Predicate<T>> after) {
    this.tag = tag;
    this.key = key;
    this.after = after;
  }

  /** One page of {@code sorted} and the cursor of the next, null on the last page. */
  public record Page<T>(List<T> items, String nextCursor) {}

  public Page<T> page(List<T> sorted, String cursor, String limit) {
    int size = PageLimits.clamp(RunListQuery.limit(limit));
    List<T> rest = cursor == null || cursor.isBlank() ? sorted
        : sorted.stream().filter(after.apply(decode(cursor.strip()))).toList();
    if (rest.size() <= size) {
      return new Page<>(rest, null);
    }
    List<T> items = rest.subList(0, size);
    return new Page<>(List.copyOf(items), encode(key.apply(items.get(size - 1))));
  }

  private String encode(List<String> parts) {
    String text = tag + SEPARATOR + String.join(SEPARATOR, parts);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      List<String> parts = List.of(text.split(SEPARATOR, -1));
      if (parts.size() > 1 && parts.get(0).equals(tag)) {
        return parts.subList(1, parts.size());
      }
    } catch (IllegalArgumentException e) {
      // not base64: refused below like any other foreign cursor
    }
    throw badCursor();
  }

  /** The answer to a cursor this list did not issue. */
  public static LifeboatException badCursor() {
    return InvalidRequest.field("cursor", "cursor is not one this list issued: pass the nextCursor of the previous "
        + "page unchanged");
  }
}
