package dev.lifeboat.activities.tables;

import java.util.Comparator;
import java.util.List;

/**
 * The order both sides of a comparison are read in, and the same order in Java, so that the two
 * streams can be merged. Integer key columns ({@code smallint}, {@code integer}, {@code bigint})
 * are read and ordered as numbers, which lets PostgreSQL walk the primary key's index. Every other
 * key column is read as its text form in the {@code "C"} collation: PostgreSQL then orders by
 * bytes (UTF-8: by code point), an order Java reproduces exactly, whatever the database's
 * collation or the column's type.
 */
final class KeyOrder implements Comparator<Object[]> {
  enum Kind { INTEGER, TEXT }

  private static final List<String> INTEGER_TYPES = List.of("smallint", "integer", "bigint");

  private final Kind[] kinds;

  KeyOrder(List<Kind> kinds) {
    this.kinds = kinds.toArray(Kind[]::new);
  }

  static Kind kindOf(String formatType) {
    return INTEGER_TYPES.contains(formatType) ? Kind.INTEGER : Kind.TEXT;
  }

  Kind kind(int i) {
    return kinds[i];
  }

  int size() {
    return kinds.length;
  }

  @Override
  public int compare(Object[] a, Object[] b) {
    for (int i = 0; i < kinds.length; i++) {
      int c = kinds[i] == Kind.INTEGER ? Long.compare((Long) a[i], (Long) b[i])
          : compareCodePoints((String) a[i], (String) b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * Strings in code point order, which is UTF-8 byte order. {@link String#compareTo} compares
   * UTF-16 units instead and puts supplementary characters (surrogates, D800-DFFF) before
   * E000-FFFF; shifting the surrogates above that range fixes it.
   */
  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return fixup(x) - fixup(y);
      }
    }
    return a.length() - b.length();
  }

  private static int fixup(char c) {
    if (c >= 0xE000) {
      return c - 0x800;
    }
    if (c >= 0xD800) {
      return c + 0x2000;
    }
    return c;
  }
}
