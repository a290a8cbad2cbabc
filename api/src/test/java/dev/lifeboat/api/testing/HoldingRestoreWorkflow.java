package dev.lifeboat.api.testing;

import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the real restore: holds until released or cancelled, so tests can drive the
 * API's start, release and cancel through the real Temporal client.
 */
public class HoldingRestoreWorkflow implements PointInTimeRestoreWorkflow {
  /** Reasons of every restore that reached a worker: proof that a refused request started nothing. */
  public static final Set<String> STARTED_REASONS = ConcurrentHashMap.newKeySet();

  private RestoreRequest request;
  private ReleaseRequest released;

  @Override
  public RestoreResult restore(RestoreRequest request) {
    this.request = request;
    STARTED_REASONS.add(request.reason());
    Workflow.await(() -> released != null);
    // a teardown that takes a while: a second release meets the validator, not a closed workflow
    // (the time-skipping test server ends it at once when a test waits for the result)
    Workflow.sleep(Duration.ofMinutes(1));
    return new RestoreResult(null, null, request.targetTime(), "snap-1", null, "released", released.by());
  }

  @Override
  public RunState state() {
    String detail = released == null ? "holding" : "released by " + released.by() + ": " + released.reason();
    return new RunState(Workflow.getInfo().getWorkflowId(), RunKind.RESTORE,
        request == null ? null : request.instance(), request == null ? null : request.requester(),
        request == null ? null : request.reason(), RunPhase.RUNNING, released == null ? "hold" : "delete", 90, null,
        detail, List.of(), Map.of(), null, null, null, Instant.ofEpochMilli(Workflow.currentTimeMillis()), null,
        null);
  }

  @Override
  public RunState release(ReleaseRequest request) {
    released = request;
    return state();
  }

  @Override
  public void validateRelease(ReleaseRequest request) {
    // as the real workflow does: an untyped refusal, which the API must still answer as a conflict
    if (released != null) {
      throw new IllegalStateException("already released by " + released.by());
    }
  }
}
