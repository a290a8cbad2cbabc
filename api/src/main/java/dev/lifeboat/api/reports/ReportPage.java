package dev.lifeboat.api.reports;

import static dev.lifeboat.api.reports.Html.escape;

import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.StepState;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The parts every report page for people shares (drills, failovers): one self-contained HTML
 * document with its style sheet, a verdict header, measure cards, a term list, the step timeline
 * and a footer of links. No script, no external asset; every value goes through {@link Html#escape}.
 */
public final class ReportPage {
  /** What the answer allows: the page embeds everything it shows, it runs no script and loads nothing. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  private static final String STYLE = """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c2430;background:#f5f7fa}
      main{max-width:980px;margin:0 auto;padding:0 20px 40px}
      header.verdict{padding:22px 20px;color:#fff}
      header.verdict.passed{background:#1f7a3d}header.verdict.failed{background:#b3261e}header.verdict.cancelled{background:#6b6f76}
      header.verdict.running{background:#3b6fd8}
      header h1{margin:0 0 4px;font-size:26px;letter-spacing:.02em}header p{margin:2px 0;opacity:.95}
      header .error{font-family:ui-monospace,Menlo,monospace;font-size:13px;white-space:pre-wrap}
      section{background:#fff;border:1px solid #dde3ea;border-radius:8px;margin:18px 0;padding:14px 18px}
      h2{font-size:18px;margin:0 0 10px}
      .measures{display:flex;gap:14px;flex-wrap:wrap}
      .measure{flex:1 1 260px;border-radius:6px;padding:10px 14px;border:1px solid #dde3ea}
      .measure.met{border-left:6px solid #1f7a3d}.measure.missed{border-left:6px solid #b3261e}.measure.unknown{border-left:6px solid #8a9099}
      .measure.measured{border-left:6px solid #3b6fd8}
      .measure .value{font-size:24px;font-weight:600}.measure .basis{font-size:12px;color:#5b6470}
      dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:12px 0 0}dt{color:#5b6470}dd{margin:0}
      table{border-collapse:collapse;width:100%;font-size:14px}
      th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e8ecf1;vertical-align:top}
      th{color:#5b6470;font-weight:600}
      td.mono{font-family:ui-monospace,Menlo,monospace;font-size:13px}
      .status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
      .status.succeeded,.status.passed{background:#e3f4e8;color:#1f7a3d}
      .status.failed{background:#fbe4e2;color:#b3261e}.status.cancelled,.status.running,.status.skipped{background:#eceef1;color:#4b525c}
      .bar{position:relative;height:10px;background:#eef1f5;border-radius:5px;min-width:160px}
      .bar span{position:absolute;top:0;height:10px;border-radius:5px;background:#3b6fd8}
      .bar span.failed{background:#b3261e}
      .charts{display:flex;flex-wrap:wrap;gap:12px}
      svg.history-chart{background:#fff;max-width:100%;height:auto}
      svg .axis{stroke:#8a9099;stroke-width:1}svg .grid{stroke:#e8ecf1;stroke-width:1}
      svg .target{stroke:#b3261e;stroke-width:1.5;stroke-dasharray:6 4}svg .target-label{fill:#b3261e;font-size:11px}
      svg .series{stroke:#3b6fd8;stroke-width:2}svg .tick,svg .empty{fill:#5b6470;font-size:11px}
      svg .chart-title{fill:#1c2430;font-size:13px;font-weight:600}
      svg .point.met{fill:#1f7a3d}svg .point.missed{fill:#b3261e}svg .point.current{stroke:#1c2430;stroke-width:2}
      footer{color:#5b6470;font-size:12px;margin-top:20px}
      """;

  private ReportPage() {}

  /** The answer for a rendered page: HTML in UTF-8 under {@link #CONTENT_SECURITY_POLICY}. */
  public static Response ok(String page) {
    return Response.ok(page, MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .build();
  }

  /** The document up to and including {@code <body>}, titled {@code title}. */
  public static StringBuilder begin(String title) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(escape(title)).append("</title><style>").append(STYLE)
        .append("</style></head><body>\n");
    return html;
  }

  /**
   * The coloured header: {@code outcome} ({@code passed}, {@code failed}, {@code cancelled},
   * {@code running}) picks the colour, then the heading, one paragraph per line, and the error.
   */
  public static void verdict(StringBuilder html, String outcome, String heading, List<String> lines, RunError error) {
    html.append("<header class=\"verdict ").append(escape(outcome)).append("\" id=\"verdict\" data-outcome=\"")
        .append(escape(outcome)).append("\">");
    html.append("<h1>").append(escape(heading)).append("</h1>");
    for (String line : lines) {
      html.append("<p>").append(escape(line)).append("</p>");
    }
    if (error != null) {
      html.append("<p class=\"error\">").append(escape(error.type())).append(": ")
          .append(escape(error.message())).append("</p>");
    }
    html.append("</header>\n");
  }

  /** {@code met}, {@code missed} or {@code unknown} (no verdict, e.g. nothing measured). */
  public static String state(Boolean met) {
    return met == null ? "unknown" : met ? "met" : "missed";
  }

  /**
   * One measure card: label and what it measures, the value, its target and the state
   * ({@link #state}, or {@code measured} for a value that has no target).
   */
  public static void measure(StringBuilder html, String label, String id, String what, Duration measured,
      Duration target, String state, String basis) {
    String status = switch (state) {
      case "met" -> "passed";
      case "missed" -> "failed";
      default -> "skipped";
    };
    html.append("<div class=\"measure ").append(escape(state)).append("\" id=\"").append(escape(id)).append("\">")
        .append("<div>").append(escape(label)).append(" · ").append(escape(what)).append("</div>")
        .append("<div class=\"value\">").append(escape(Html.duration(measured)))
        .append("</div><div>target ").append(escape(Html.duration(target)))
        .append(" · <span class=\"status ").append(status).append("\">").append(escape(state)).append("</span></div>");
    if (basis != null) {
      html.append("<div class=\"basis\">").append(escape(basis)).append("</div>");
    }
    html.append("</div>");
  }

  /** One term and its value in a {@code <dl>}. */
  public static void item(StringBuilder html, String term, String value) {
    html.append("<dt>").append(escape(term)).append("</dt><dd>").append(escape(value)).append("</dd>");
  }

  /**
   * The steps as rows, each with a bar placed on the run's own time axis (from {@code start} to
   * the last step's end, or {@code stoppedAt} when later).
   */
  public static void timeline(StringBuilder html, List<StepState> steps, Instant start, Instant stoppedAt) {
    html.append("<section id=\"steps\"><h2>Timeline</h2>");
    if (steps == null || steps.isEmpty() || start == null) {
      html.append("<p>No step was recorded.</p></section>\n");
      return;
    }
    Instant end = steps.stream().map(s -> s.stoppedAt() != null ? s.stoppedAt() : s.startedAt())
        .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(start);
    if (stoppedAt != null && stoppedAt.isAfter(end)) {
      end = stoppedAt;
    }
    double total = Math.max(1, Duration.between(start, end).toMillis());
    html.append("<table><thead><tr><th>Step</th><th>Status</th><th>Started</th><th>Took</th><th>Timeline</th>")
        .append("<th>Detail</th></tr></thead><tbody>");
    for (StepState step : steps) {
      Duration took = step.startedAt() != null && step.stoppedAt() != null
          ? Duration.between(step.startedAt(), step.stoppedAt()) : null;
      double left = step.startedAt() == null ? 0 : Duration.between(start, step.startedAt()).toMillis() / total * 100;
      double width = took == null ? 0 : Math.max(0.5, took.toMillis() / total * 100);
      html.append("<tr class=\"step\" data-step=\"").append(escape(step.name())).append("\"><td>")
          .append(escape(step.name())).append("</td><td><span class=\"status ").append(escape(step.status()))
          .append("\">").append(escape(step.status())).append("</span></td><td>")
          .append(escape(Html.time(step.startedAt()))).append("</td><td>").append(escape(Html.duration(took)))
          .append("</td><td><div class=\"bar\"><span class=\"").append(escape(step.status())).append("\" style=\"left:")
          .append(pct(Math.min(99.5, left))).append("%;width:").append(pct(Math.min(width, 100 - Math.min(99.5, left))))
          .append("%\"></span></div></td><td>").append(escape(step.detail())).append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }

  /**
   * The footer and the end of the document.
   *
   * @param links label to path, in order ("JSON" to the report, "run" to the run)
   */
  public static String end(StringBuilder html, String name, Instant now, Map<String, String> links) {
    html.append("<footer>").append(escape(name)).append(" · generated ").append(escape(Html.time(now)));
    links.forEach((label, path) -> html.append(" · ").append(escape(label)).append(": <a href=\"")
        .append(escape(path)).append("\">").append(escape(path)).append("</a>"));
    html.append("</footer>\n</main></body></html>\n");
    return html.toString();
  }

  private static String pct(double value) {
    return String.format(Locale.ROOT, "%.2f", Math.max(0, value));
  }
}
