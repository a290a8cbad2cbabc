package dev.lifeboat.api.views;

import dev.lifeboat.common.model.DrillReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The full report of one drill. Kept apart from {@link DrillReport}, the workflow payload: the
 * public JSON and the durable history change independently.
 *
 * @param outcome {@code passed}, {@code failed} or {@code cancelled}
 * @param links {@code self}, {@code run} and {@code html} (the human-readable report)
 */
public record DrillReportView(
    String runId,
    String instance,
    String region,
    String source,
    String suite,
    String requester,
    String reason,
    String outcome,
    boolean passed,
    String snapshotId,
    Instant snapshotStoppedAt,
    Instant restoredTo,
    String drillInstance,
    boolean drillInstanceDeleted,
    String compareOn,
    Instant startedAt,
    Instant restoredAt,
    Instant verifiedAt,
    Instant stoppedAt,
    DrillMeasureView rto,
    DrillMeasureView rpo,
    List<DrillCheckView> checks,
    List<StepView> steps,
    RunErrorView error,
    Map<String, String> links) {

  public static DrillReportView of(DrillReport report) {
    return new DrillReportView(report.runId(), report.instance(), report.region(), report.source(), report.suite(),
        report.requester(), report.reason(), outcome(report), report.passed(), report.snapshotId(),
        report.snapshotStoppedAt(), report.restoredTo(), report.drillInstance(), report.drillInstanceDeleted(),
        report.compareOn(), report.startedAt(), report.restoredAt(), report.verifiedAt(), report.stoppedAt(),
        DrillMeasureView.of(report.rto()), DrillMeasureView.of(report.rpo()),
        report.checks().stream().map(DrillCheckView::of).toList(),
        report.steps().stream().map(StepView::of).toList(), RunErrorView.of(report.error()), links(report.runId()));
  }

  public static String outcome(DrillReport report) {
    if (report.passed()) {
      return "passed";
    }
    return report.error() != null && "CANCELLED".equals(report.error().type()) ? "cancelled" : "failed";
  }

  public static String path(String runId) {
    return "/v1/drills/" + runId;
  }

  public static String htmlPath(String runId) {
    return path(runId) + "/report.html";
  }

  static Map<String, String> links(String runId) {
    return Map.of("self", path(runId), "run", RunView.path(runId), "html", htmlPath(runId));
  }
}
