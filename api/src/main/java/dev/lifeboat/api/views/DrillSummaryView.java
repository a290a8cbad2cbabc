package dev.lifeboat.api.views;

import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One drill in the history: outcome, RTO and RPO against their targets, and what failed. */
public record DrillSummaryView(
    String runId,
    String instance,
    String region,
    String source,
    String suite,
    String outcome,
    boolean passed,
    Instant startedAt,
    Instant stoppedAt,
    DrillMeasureView rto,
    DrillMeasureView rpo,
    List<String> failedChecks,
    RunErrorView error,
    Map<String, String> links) {

  public static DrillSummaryView of(DrillReport report) {
    return new DrillSummaryView(report.runId(), report.instance(), report.region(), report.source(), report.suite(),
        DrillReportView.outcome(report), report.passed(), report.startedAt(), report.stoppedAt(),
        DrillMeasureView.of(report.rto()), DrillMeasureView.of(report.rpo()),
        report.failedChecks().stream().map(DrillCheck::label).toList(), RunErrorView.of(report.error()),
        DrillReportView.links(report.runId()));
  }
}
