package dev.lifeboat.catalog;

import java.util.List;
import java.util.function.Function;

/** Keyset pages from rows fetched with one more than the page size. */
final class Pages {
  private Pages() {}

  /** How many rows to fetch for a page of {@code size}: the extra one only says a next page exists. */
  static int fetchSize(int size) {
    return size + 1;
  }

  static <T> Page<T> of(List<T> rows, int size, Function<T, String> cursorAfter) {
    List<T> items = List.copyOf(rows.subList(0, Math.min(size, rows.size())));
    String next = rows.size() > size ? cursorAfter.apply(items.get(items.size() - 1)) : null;
    return new Page<>(items, next);
  }
}
