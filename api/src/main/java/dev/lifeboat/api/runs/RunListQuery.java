package dev.lifeboat.api.runs;

import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.catalog.PageLimits;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The query parameters of {@code GET /v1/runs}, parsed here rather than by Jersey, which answers
 * 404 to a parameter it cannot convert; ours say 400 and list what is allowed.
 */
public record RunListQuery(RunFilter filter, String cursor, int limit) {

  public static RunListQuery parse(String kind, String phase, String instance, String limit, String cursor) {
    RunKind parsedKind = blank(kind) ? null : wireName("kind", kind, RunKind.values(), RunKind::wireName);
    RunPhase parsedPhase = blank(phase) ? null : wireName("phase", phase, RunPhase.values(), RunPhase::wireName);
    if (!blank(instance) && !Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance",
          "instance '" + instance + "' is not an instance id, e.g. techcorp-primary.");
    }
    return new RunListQuery(
        new RunFilter(parsedKind, parsedPhase, blank(instance) ? null : instance),
        blank(cursor) ? null : cursor,
        limit(limit));
  }

  /** A page size from its query parameter; out-of-range sizes are clamped by the catalog. */
  public static int limit(String text) {
    if (blank(text)) {
      return PageLimits.DEFAULT;
    }
    try {
      // out-of-range sizes are clamped by the catalog: asking for 1000 still gets a page
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw InvalidRequest.field("limit", "limit '" + text + "' is not a whole number; pages hold 1 to "
          + PageLimits.MAX + " runs.");
    }
  }

  private static <E> E wireName(String field, String text, E[] values, Function<E, String> name) {
    for (E value : values) {
      if (name.apply(value).equals(text)) {
        return value;
      }
    }
    List<String> allowed = Arrays.stream(values).map(name).toList();
    throw InvalidRequest.field(field, field + " '" + text + "' is not one of " + String.join(", ", allowed) + ".",
        Map.of("allowed", allowed));
  }

  static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
