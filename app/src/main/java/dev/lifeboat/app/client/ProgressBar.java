package dev.lifeboat.app.client;

import java.util.Locale;

/**
 * One line of a run's progress: step, bar, percent, bytes of the step, detail. A pure function
 * of the run, so the watch loop only decides when to print it and how (redrawn or appended).
 * ASCII only: it must look the same in any terminal and in a CI log.
 */
final class ProgressBar {
  static final int BAR_CELLS = 24;
  private static final int LABEL_WIDTH = 10;
  private static final String ELLIPSIS = "...";

  private ProgressBar() {}

  /**
   * @param width the most characters the line may take; it is cut shorter than that so a terminal
   *     never wraps it (a wrapped line cannot be redrawn with {@code \r}); 0 for no limit
   */
  static String render(RunStatus run, int width) {
    StringBuilder line = new StringBuilder();
    String label = run.step() != null ? run.step() : run.phase() != null ? run.phase() : "?";
    line.append(label);
    line.append(" ".repeat(Math.max(1, LABEL_WIDTH - label.length())));
    line.append('[').append(bar(run.percent())).append(']');
    if (run.percent() != null) {
      line.append(String.format(Locale.ROOT, " %3d%%", clamp(run.percent())));
    }
    if (run.bytes() != null && run.bytes() > 0) {
      line.append("  ").append(Units.bytes(run.bytes()));
    }
    if (run.detail() != null && !run.detail().isBlank()) {
      line.append("  ").append(run.detail().strip().replaceAll("\\s+", " "));
    }
    return fit(line.toString(), width);
  }

  static String bar(Integer percent) {
    int filled = percent == null ? 0 : clamp(percent) * BAR_CELLS / 100;
    return "#".repeat(filled) + "-".repeat(BAR_CELLS - filled);
  }

  private static String fit(String line, int width) {
    int max = width - 1;
    if (width <= 0 || line.length() <= max) {
      return line;
    }
    return line.substring(0, Math.max(0, max - ELLIPSIS.length())) + ELLIPSIS;
  }

  private static int clamp(int percent) {
    return Math.max(0, Math.min(100, percent));
  }
}
