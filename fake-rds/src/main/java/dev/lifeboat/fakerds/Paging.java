package dev.lifeboat.fakerds;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** {@code MaxRecords} (20 to 100, default 100) and an opaque {@code Marker} over a list in a stable order. */
final class Paging {
  static final int DEFAULT_MAX = 100;
  static final int MIN = 20;

  record Page<T>(List<T> items, String marker) {}

  private Paging() {}

  static <T> Page<T> page(List<T> all, QueryParams p) {
    Integer max = p.integer("MaxRecords");
    if (max == null) {
      max = DEFAULT_MAX;
    } else if (max < MIN || max > DEFAULT_MAX) {
      throw ApiError.invalidParameter("MaxRecords must be between " + MIN + " and " + DEFAULT_MAX + "; got " + max);
    }
    int offset = offset(p.get("Marker"));
    int from = Math.min(offset, all.size());
    int to = Math.min(from + max, all.size());
    String next = to < all.size() ? marker(to) : null;
    return new Page<>(all.subList(from, to), next);
  }

  private static String marker(int offset) {
    byte[] text = ("offset:" + offset).getBytes(StandardCharsets.UTF_8);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text);
  }

  private static int offset(String marker) {
    if (marker == null) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
      if (text.startsWith("offset:")) {
        int n = Integer.parseInt(text.substring("offset:".length()));
        if (n >= 0) {
          return n;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw ApiError.invalidParameter("Invalid Marker: " + marker);
  }
}
