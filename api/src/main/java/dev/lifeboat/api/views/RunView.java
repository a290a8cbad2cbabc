package dev.lifeboat.api.views;

import dev.lifeboat.api.failover.FailoverReportPage;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as the API shows it. Kept apart from {@link RunState}, the workflow payload: the public
 * JSON and the durable history change independently.
 *
 * @param links where to look and what can be done next: {@code self}, and {@code release} or
 *     {@code cancel} while they apply; a drill's {@code report} and {@code reportHtml}, a failover's
 *     {@code reportHtml}
 */
public record RunView(
    String runId,
    String kind,
    String instance,
    String requester,
    String reason,
    String phase,
    String step,
    ProgressView progress,
    List<StepView> steps,
    EndpointView endpoint,
    Map<String, Object> result,
    RunErrorView error,
    Instant startedAt,
    Instant stoppedAt,
    Instant expiresAt,
    Map<String, String> links) {

  public static RunView of(RunState run) {
    return new RunView(
        run.runId(),
        run.kind().wireName(),
        run.instance(),
        run.requester(),
        run.reason(),
        run.phase().wireName(),
        run.step(),
        new ProgressView(run.percent(), run.bytes(), run.detail()),
        run.steps() == null ? List.of() : run.steps().stream().map(StepView::of).toList(),
        EndpointView.of(run.endpoint()),
        run.result(),
        RunErrorView.of(run.error()),
        run.startedAt(),
        run.stoppedAt(),
        run.expiresAt(),
        links(run));
  }

  public static String path(String runId) {
    return "/v1/runs/" + runId;
  }

  private static Map<String, String> links(RunState run) {
    Map<String, String> links = new LinkedHashMap<>();
    String self = path(run.runId());
    links.put("self", self);
    if (run.kind() == RunKind.DRILL) {
      // stored when the drill ends, whatever its outcome
      links.put("report", DrillReportView.path(run.runId()));
      links.put("reportHtml", DrillReportView.htmlPath(run.runId()));
    }
    if (run.kind() == RunKind.FAILOVER) {
      // rendered from the run's state: there from the start, complete once the run ends
      links.put("reportHtml", FailoverReportPage.path(run.runId()));
    }
    if (!run.phase().terminal()) {
      if (run.kind() == RunKind.RESTORE) {
        links.put("release", self + "/release");
      }
      links.put("cancel", self + "/cancel");
    }
    return links;
  }
}
