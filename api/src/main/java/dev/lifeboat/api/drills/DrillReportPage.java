package dev.lifeboat.api.drills;

import static dev.lifeboat.api.reports.Html.escape;

import dev.lifeboat.api.reports.Html;
import dev.lifeboat.api.reports.ReportPage;
import dev.lifeboat.api.views.DrillMeasureView;
import dev.lifeboat.api.views.DrillReportView;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A drill report as one self-contained HTML page, for people: a pass/fail header, RTO and RPO
 * against their targets, the step timeline, the checks, and RTO/RPO across the drills of the same
 * instance and region as inline SVG. No script, no external asset; every value is escaped.
 */
public final class DrillReportPage {
  /** How many drills the history charts show. */
  public static final int HISTORY = 20;

  private DrillReportPage() {}

  /**
   * @param history drills of the same instance and region, newest first (the report's own among
   *     them or not)
   * @param now when the page is rendered
   */
  public static String render(DrillReport report, List<DrillReport> history, Instant now) {
    String outcome = DrillReportView.outcome(report);
    StringBuilder html = ReportPage.begin("DR drill " + report.runId() + " · " + outcome.toUpperCase(Locale.ROOT));
    ReportPage.verdict(html, outcome, "DR drill " + outcome.toUpperCase(Locale.ROOT), List.of(
        report.instance() + " restored in " + report.region() + " from the " + report.source() + " · suite "
            + (report.suite() == null ? "–" : report.suite()) + " · run " + report.runId(),
        "Started " + Html.time(report.startedAt()) + " · stopped " + Html.time(report.stoppedAt())
            + " · requested by " + report.requester() + (report.reason() == null ? "" : ": " + report.reason())),
        report.error());
    html.append("<main>\n");
    summary(html, report);
    ReportPage.timeline(html, report.steps(), report.startedAt(), report.stoppedAt());
    checks(html, report);
    charts(html, report, history);
    Map<String, String> links = new LinkedHashMap<>();
    links.put("JSON", DrillReportView.path(report.runId()));
    links.put("run", RunView.path(report.runId()));
    return ReportPage.end(html, "Lifeboat DR drill report", now, links);
  }

  private static void summary(StringBuilder html, DrillReport report) {
    html.append("<section id=\"summary\"><h2>Recovery objectives</h2><div class=\"measures\">");
    measure(html, "RTO", "rto", report.rto(), "drill start to verified instance");
    measure(html, "RPO", "rpo", report.rpo(), "newest source data against newest recovered data");
    html.append("</div><dl>");
    ReportPage.item(html, "Snapshot copy", report.snapshotId() == null ? "–"
        : report.snapshotId() + " (ended " + Html.time(report.snapshotStoppedAt()) + ")");
    ReportPage.item(html, "Restored to", Html.time(report.restoredTo()));
    ReportPage.item(html, "Drill instance", report.drillInstance() + (report.drillInstanceDeleted() ? " (deleted)"
        : " (NOT deleted: the reaper removes it after its TTL)"));
    ReportPage.item(html, "Source read from", report.compareOn() == null
        ? "– (the suite reads nothing from the source)" : report.compareOn() + " (analytics replica)");
    ReportPage.item(html, "Restored at", Html.time(report.restoredAt()));
    ReportPage.item(html, "Verified at", Html.time(report.verifiedAt()));
    html.append("</dl></section>\n");
  }

  private static void measure(StringBuilder html, String label, String id, DrillMeasure measure, String what) {
    ReportPage.measure(html, label, id, what, measure == null ? null : measure.measured(),
        measure == null ? null : measure.target(), ReportPage.state(measure == null ? null : measure.met()),
        measure == null ? null : measure.basis());
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
}
