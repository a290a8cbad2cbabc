package dev.lifeboat.api.testing;

import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.SnapshotResult;
import dev.lifeboat.common.workflow.SnapshotWorkflow;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Stands in for the real snapshot: records the request it was started with, then holds. */
public class HoldingSnapshotWorkflow implements SnapshotWorkflow {
  /** Every request that reached a worker: one per started workflow, replays aside. */
  public static final Queue<SnapshotRequest> STARTED = new ConcurrentLinkedQueue<>();

  private SnapshotRequest request;

  @Override
  public SnapshotResult snapshot(SnapshotRequest request) {
    this.request = request;
    if (!Workflow.isReplaying()) {
      STARTED.add(request);
    }
    Workflow.await(() -> false);
    return new SnapshotResult(List.of());
  }

  @Override
  public RunState state() {
    return new RunState(Workflow.getInfo().getWorkflowId(), RunKind.SNAPSHOT,
        request == null ? null : request.instances().get(0), request == null ? null : request.requester(),
        request == null ? null : request.reason(), RunPhase.RUNNING, "snapshot", 0, null, "holding", List.of(),
        Map.of(), null, null, null, Instant.ofEpochMilli(Workflow.currentTimeMillis()), null, null);
  }
}
