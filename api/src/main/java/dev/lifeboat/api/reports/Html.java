package dev.lifeboat.api.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Text made safe for HTML (and SVG) text and attribute values, and the reports' formats for people. */
public final class Html {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Html() {}

  /** Every value that reaches the page goes through here: {@code & < > " '} become entities. */
  public static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String text = String.valueOf(value);
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  public static String time(Instant instant) {
    return instant == null ? "–" : TIME.format(instant);
  }

  /** The time of day (UTC) with milliseconds, for rows of one run whose date the page shows. */
  public static String clock(Instant instant) {
    return instant == null ? "–" : CLOCK.format(instant);
  }

  /** 850 ms, 41.2 s, 3 min 12 s, 2 h 5 min, 1 d 2 h. */
  public static String duration(Duration d) {
    if (d == null) {
      return "–";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = d.toSeconds();
    if (s < 3600) {
      return parts(s / 60, " min", s % 60, " s");
    }
    if (s < 2 * 86_400) {
      return parts(s / 3600, " h", s % 3600 / 60, " min");
    }
    return parts(s / 86_400, " d", s % 86_400 / 3600, " h");
  }

  /** "3 min 12 s", or "24 h" when the smaller part is zero. */
  private static String parts(long big, String bigUnit, long small, String smallUnit) {
    return small == 0 ? big + bigUnit : big + bigUnit + " " + small + smallUnit;
  }

  public static String duration(double seconds) {
    return duration(Duration.ofMillis(Math.round(seconds * 1000)));
  }
}
