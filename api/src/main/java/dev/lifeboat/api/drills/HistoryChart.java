package dev.lifeboat.api.drills;

import dev.lifeboat.api.reports.Html;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A measure (RTO or RPO) across drills as an inline SVG line chart: oldest left, newest right, a
 * dashed line at the target, met points green and missed ones red, the drill of the page ringed.
 * Each point carries a {@code <title>} (a tooltip without script).
 */
final class HistoryChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 220;
  private static final int LEFT = 80;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

  /** One drill on the chart; {@code seconds} null when it was not measured (it is left out). */
  record Point(String runId, Instant startedAt, Double seconds, Boolean met, boolean current) {}

  /** The target is drawn when it is at most this many times the highest measure. */
  private static final double TARGET_SPAN = 4;

  private HistoryChart() {}

  /** @param oldestFirst the drills, oldest first */
  static String svg(String id, String title, List<Point> oldestFirst, Double targetSeconds) {
    List<Point> measured = oldestFirst.stream().filter(p -> p.seconds() != null).toList();
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"history-chart\" id=\"").append(Html.escape(id)).append("\" xmlns=\"http://www.w3.org/2000/svg\"")
        .append(" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Html.escape(title))
        .append("\">");
    svg.append("<title>").append(Html.escape(title)).append("</title>");
    svg.append(text(LEFT, TOP - 4, "start", "chart-title", title));
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "axis"));
    svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "axis"));
    if (measured.isEmpty()) {
      svg.append(text(LEFT + plotWidth / 2.0, TOP + plotHeight / 2.0, "middle", "empty", "no measured drill yet"));
      return svg.append("</svg>").toString();
    }
    double highest = measured.stream().mapToDouble(Point::seconds).max().orElse(0);
    // a target far above every measure would flatten them all against the axis: it is named instead
    boolean targetOnChart = targetSeconds != null && (highest <= 0 || targetSeconds <= highest * TARGET_SPAN);
    if (targetOnChart) {
      highest = Math.max(highest, targetSeconds);
    }
    double step = niceStep(highest * 1.05 / 2);
    double max = step * 2;
    for (int i = 0; i <= 2; i++) {
      double value = step * i;
      double y = y(value, max, plotHeight);
      svg.append(line(LEFT - 4, y, LEFT + plotWidth, y, i == 0 ? "axis" : "grid"));
      svg.append(text(LEFT - 8, y + 4, "end", "tick", i == 0 ? "0" : Html.duration(value)));
    }
    if (targetSeconds != null && !targetOnChart) {
      svg.append(text(LEFT + plotWidth - 4, TOP + 12, "end", "target-label",
          "target " + Html.duration(targetSeconds) + " (above the chart)"));
    } else if (targetSeconds != null) {
      double y = y(targetSeconds, max, plotHeight);
      svg.append(line(LEFT, y, LEFT + plotWidth, y, "target"));
      svg.append(text(LEFT + plotWidth - 4, y - 5, "end", "target-label", "target " + Html.duration(targetSeconds)));
    }
    int n = measured.size();
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < n; i++) {
      path.append(i == 0 ? "" : " ").append(fmt(x(i, n, plotWidth))).append(',')
          .append(fmt(y(measured.get(i).seconds(), max, plotHeight)));
    }
    if (n > 1) {
      svg.append("<polyline class=\"series\" fill=\"none\" points=\"").append(path).append("\"/>");
    }
    for (int i = 0; i < n; i++) {
      Point p = measured.get(i);
      double x = x(i, n, plotWidth);
      double y = y(p.seconds(), max, plotHeight);
      String state = Boolean.FALSE.equals(p.met()) ? "missed" : "met";
      svg.append("<circle class=\"point ").append(state).append(p.current() ? " current" : "").append("\" cx=\"")
          .append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"").append(p.current() ? 6 : 4)
          .append("\" data-run=\"").append(Html.escape(p.runId())).append("\"><title>")
          .append(Html.escape(p.runId() + " · " + Html.time(p.startedAt()) + " · " + Html.duration(p.seconds())
              + " (" + state + ")"))
          .append("</title></circle>");
    }
    svg.append(text(x(0, n, plotWidth), HEIGHT - 12, n == 1 ? "middle" : "start", "tick",
        DAY.format(measured.get(0).startedAt())));
    if (n > 1) {
      svg.append(text(x(n - 1, n, plotWidth), HEIGHT - 12, "end", "tick", DAY.format(measured.get(n - 1).startedAt())));
    }
    return svg.append("</svg>").toString();
  }

  /** Steps people read at a glance: 1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6, 12 h; days. */
  private static final double[] STEPS = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
      10_800, 21_600, 43_200, 86_400, 172_800, 604_800};

  static double niceStep(double atLeast) {
    for (double step : STEPS) {
      if (step >= atLeast) {
        return step;
      }
    }
    return Math.ceil(atLeast / 604_800) * 604_800;
  }

  private static double x(int i, int n, int plotWidth) {
    return n == 1 ? LEFT + plotWidth / 2.0 : LEFT + 12 + (plotWidth - 24) * (double) i / (n - 1);
  }

  private static double y(double seconds, double max, int plotHeight) {
    return TOP + plotHeight - plotHeight * seconds / max;
  }

  private static String line(double x1, double y1, double x2, double y2, String cls) {
    return "<line class=\"" + cls + "\" x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\""
        + fmt(y2) + "\"/>";
  }

  private static String text(double x, double y, String anchor, String cls, String text) {
    return "<text class=\"" + cls + "\" x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">"
        + Html.escape(text) + "</text>";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
