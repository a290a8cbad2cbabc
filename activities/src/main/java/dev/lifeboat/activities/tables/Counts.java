package dev.lifeboat.activities.tables;

import java.util.Locale;

/** Numbers as progress texts show them: {@code 1,200,000}. */
final class Counts {
  private Counts() {}

  static String of(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code part} of {@code whole} in percent, 0..{@code max}; 0 when the whole is unknown. */
  static int percent(long part, long whole, int max) {
    if (whole <= 0) {
      return 0;
    }
    return (int) Math.max(0, Math.min(max, part * 100 / whole));
  }
}
