package dev.lifeboat.api.testing;

import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RetentionResult;
import dev.lifeboat.common.workflow.RetentionWorkflow;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Stands in for the real retention: records the request it was started with, then holds. */
public class RecordingRetentionWorkflow implements RetentionWorkflow {
  /** Every request that reached a worker: one per started workflow, replays aside. */
  public static final Queue<RetentionRequest> STARTED = new ConcurrentLinkedQueue<>();

  @Override
  public RetentionResult expire(RetentionRequest request) {
    if (!Workflow.isReplaying()) {
      STARTED.add(request);
    }
    Workflow.await(() -> false);
    return new RetentionResult(request.dryRun(), List.of(), List.of());
  }
}
