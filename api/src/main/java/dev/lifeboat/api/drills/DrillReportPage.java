package dev.lifeboat.api.drills;

import static dev.lifeboat.api.drills.Html.escape;

import dev.lifeboat.api.views.DrillMeasureView;
import dev.lifeboat.api.views.DrillReportView;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.StepState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A drill report as one self-contained HTML page, for people: a pass/fail header, RTO and RPO
 * against their targets, the step timeline, the checks, and RTO/RPO across the drills of the same
 * instance and region as inline SVG. No script, no external asset; every value is escaped.
 */
public final class DrillReportPage {
  /** How many drills the history charts show. */
  public static final int HISTORY = 20;

  private static final String STYLE = """
      body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c2430;background:#f5f7fa}
      main{max-width:980px;margin:0 auto;padding:0 20px 40px}
      header.verdict{padding:22px 20px;color:#fff}
      header.verdict.passed{background:#1f7a3d}header.verdict.failed{background:#b3261e}header.verdict.cancelled{background:#6b6f76}
      header h1{margin:0 0 4px;font-size:26px;letter-spacing:.02em}header p{margin:2px 0;opacity:.95}
      header .error{font-family:ui-monospace,Menlo,monospace;font-size:13px;white-space:pre-wrap}
      section{background:#fff;border:1px solid #dde3ea;border-radius:8px;margin:18px 0;padding:14px 18px}
      h2{font-size:18px;margin:0 0 10px}
      .measures{display:flex;gap:14px;flex-wrap:wrap}
      .measure{flex:1 1 260px;border-radius:6px;padding:10px 14px;border:1px solid #dde3ea}
      .measure.met{border-left:6px solid #1f7a3d}.measure.missed{border-left:6px solid #b3261e}.measure.unknown{border-left:6px solid #8a9099}
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

  private DrillReportPage() {}

  /**
   * @param history drills of the same instance and region, newest first (the report's own among
   *     them or not)
   * @param now when the page is rendered
   */
  public static String render(DrillReport report, List<DrillReport> history, Instant now) {
    String outcome = DrillReportView.outcome(report);
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>DR drill ").append(escape(report.runId())).append(" · ")
        .append(escape(outcome.toUpperCase(Locale.ROOT))).append("</title><style>").append(STYLE)
        .append("</style></head><body>\n");
    header(html, report, outcome);
    html.append("<main>\n");
    summary(html, report);
    steps(html, report);
    checks(html, report);
    charts(html, report, history);
    html.append("<footer>Lifeboat DR drill report · generated ").append(escape(Html.time(now)))
        .append(" · JSON: <a href=\"").append(escape(DrillReportView.path(report.runId()))).append("\">")
        .append(escape(DrillReportView.path(report.runId()))).append("</a> · run: <a href=\"/v1/runs/")
        .append(escape(report.runId())).append("\">/v1/runs/").append(escape(report.runId()))
        .append("</a></footer>\n</main></body></html>\n");
    return html.toString();
  }

  private static void header(StringBuilder html, DrillReport report, String outcome) {
    html.append("<header class=\"verdict ").append(escape(outcome)).append("\" id=\"verdict\" data-outcome=\"")
        .append(escape(outcome)).append("\">");
    html.append("<h1>DR drill ").append(escape(outcome.toUpperCase(Locale.ROOT))).append("</h1>");
    html.append("<p>").append(escape(report.instance())).append(" restored in ").append(escape(report.region()))
        .append(" from the ").append(escape(report.source())).append(" · suite ")
        .append(escape(report.suite() == null ? "–" : report.suite())).append(" · run ")
        .append(escape(report.runId())).append("</p>");
    html.append("<p>Started ").append(escape(Html.time(report.startedAt()))).append(" · stopped ")
        .append(escape(Html.time(report.stoppedAt()))).append(" · requested by ")
        .append(escape(report.requester())).append(report.reason() == null ? "" : ": " + escape(report.reason()))
        .append("</p>");
    if (report.error() != null) {
      html.append("<p class=\"error\">").append(escape(report.error().type())).append(": ")
          .append(escape(report.error().message())).append("</p>");
    }
    html.append("</header>\n");
  }

  private static void summary(StringBuilder html, DrillReport report) {
    html.append("<section id=\"summary\"><h2>Recovery objectives</h2><div class=\"measures\">");
    measure(html, "RTO", "rto", report.rto(), "drill start to verified instance");
    measure(html, "RPO", "rpo", report.rpo(), "newest source data against newest recovered data");
    html.append("</div><dl>");
    item(html, "Snapshot copy", report.snapshotId() == null ? "–"
        : report.snapshotId() + " (ended " + Html.time(report.snapshotStoppedAt()) + ")");
    item(html, "Restored to", Html.time(report.restoredTo()));
    item(html, "Drill instance", report.drillInstance() + (report.drillInstanceDeleted() ? " (deleted)"
        : " (NOT deleted: the reaper removes it after its TTL)"));
    item(html, "Source read from", report.compareOn() == null ? "– (the suite reads nothing from the source)"
        : report.compareOn() + " (analytics replica)");
    item(html, "Restored at", Html.time(report.restoredAt()));
    item(html, "Verified at", Html.time(report.verifiedAt()));
    html.append("</dl></section>\n");
  }

  private static void measure(StringBuilder html, String label, String id, DrillMeasure measure, String what) {
    String state = measure == null || measure.met() == null ? "unknown" : measure.met() ? "met" : "missed";
    html.append("<div class=\"measure ").append(state).append("\" id=\"").append(id).append("\">")
        .append("<div>").append(label).append(" · ").append(escape(what)).append("</div>")
        .append("<div class=\"value\">").append(escape(Html.duration(measure == null ? null : measure.measured())))
        .append("</div><div>target ").append(escape(Html.duration(measure == null ? null : measure.target())))
        .append(" · <span class=\"status ").append(state.equals("met") ? "passed" : state.equals("missed")
            ? "failed" : "skipped").append("\">").append(state).append("</span></div>");
    if (measure != null && measure.basis() != null) {
      html.append("<div class=\"basis\">").append(escape(measure.basis())).append("</div>");
    }
    html.append("</div>");
  }

  private static void item(StringBuilder html, String term, String value) {
    html.append("<dt>").append(escape(term)).append("</dt><dd>").append(escape(value)).append("</dd>");
  }

  /** The steps as rows, each with a bar placed on the drill's own time axis. */
  private static void steps(StringBuilder html, DrillReport report) {
    html.append("<section id=\"steps\"><h2>Timeline</h2>");
    List<StepState> steps = report.steps();
    if (steps.isEmpty()) {
      html.append("<p>No step was recorded.</p></section>\n");
      return;
    }
    Instant start = report.startedAt();
    Instant end = steps.stream().map(s -> s.stoppedAt() != null ? s.stoppedAt() : s.startedAt())
        .filter(t -> t != null).max(Comparator.naturalOrder()).orElse(start);
    if (report.stoppedAt() != null && report.stoppedAt().isAfter(end)) {
      end = report.stoppedAt();
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

  private static void checks(StringBuilder html, DrillReport report) {
    List<DrillCheck> checks = report.checks();
    long passed = checks.stream().filter(DrillCheck::passed).count();
    html.append("<section id=\"checks\"><h2>Checks · ").append(passed).append(" of ").append(checks.size())
        .append(" passed</h2>");
    if (checks.isEmpty()) {
      html.append("<p>No check ran: the drill ended before its verification.</p></section>\n");
      return;
    }
    html.append("<table><thead><tr><th>Result</th><th>Kind</th><th>Check</th><th>Value</th><th>Expected</th>")
        .append("<th>Detail</th><th>Checked at (UTC)</th></tr></thead><tbody>");
    // failures first: they are what a reader comes for
    List<DrillCheck> ordered = new ArrayList<>(checks);
    ordered.sort(Comparator.comparing(DrillCheck::passed));
    for (DrillCheck check : ordered) {
      String result = check.passed() ? "passed" : "failed";
      html.append("<tr class=\"check ").append(result).append("\" data-check=\"").append(escape(check.label()))
          .append("\"><td><span class=\"status ").append(result).append("\">").append(result)
          .append("</span></td><td>").append(escape(check.kind())).append("</td><td class=\"mono\">")
          .append(escape(check.name())).append("</td><td class=\"mono\">").append(escape(check.value()))
          .append("</td><td class=\"mono\">").append(escape(check.expected())).append("</td><td>")
          .append(escape(check.detail())).append("</td><td>").append(escape(Html.clock(check.checkedAt())))
          .append("</td></tr>");
    }
    html.append("</tbody></table></section>\n");
  }

  private static void charts(StringBuilder html, DrillReport report, List<DrillReport> newestFirst) {
    List<DrillReport> drills = new ArrayList<>(newestFirst.subList(0, Math.min(HISTORY, newestFirst.size())));
    if (drills.stream().noneMatch(d -> d.runId().equals(report.runId()))) {
      drills.add(report);
    }
    drills.sort(Comparator.comparing(DrillReport::startedAt));
    html.append("<section id=\"history\"><h2>RTO and RPO across the last ").append(drills.size())
        .append(drills.size() == 1 ? " drill" : " drills").append(" of ").append(escape(report.instance()))
        .append(" in ").append(escape(report.region())).append("</h2><div class=\"charts\">");
    html.append(HistoryChart.svg("rto-chart", "RTO per drill (drill start to verified instance)", points(drills, DrillReport::rto, report),
        DrillMeasureView.seconds(report.rto() == null ? null : report.rto().target())));
    html.append(HistoryChart.svg("rpo-chart", "RPO per drill (data a recovery would lose)", points(drills, DrillReport::rpo, report),
        DrillMeasureView.seconds(report.rpo() == null ? null : report.rpo().target())));
    html.append("</div></section>\n");
  }

  private static List<HistoryChart.Point> points(List<DrillReport> oldestFirst,
      Function<DrillReport, DrillMeasure> which, DrillReport current) {
    return oldestFirst.stream().map(d -> {
      DrillMeasure m = which.apply(d);
      return new HistoryChart.Point(d.runId(), d.startedAt(), m == null ? null : DrillMeasureView.seconds(m.measured()),
          m == null ? null : m.met(), d.runId().equals(current.runId()));
    }).toList();
  }

  private static String pct(double value) {
    return String.format(Locale.ROOT, "%.2f", Math.max(0, value));
  }
}
