package dev.lifeboat.app.client;

import java.util.Locale;

/** Sizes and durations for people: {@code 1.2 GiB}, {@code 4m05s}. */
final class Units {
  private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Units() {}

  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < BINARY.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, BINARY[unit]);
  }

  static String duration(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    if (seconds < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
  }
}
