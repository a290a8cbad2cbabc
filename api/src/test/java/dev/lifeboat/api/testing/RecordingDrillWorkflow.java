package dev.lifeboat.api.testing;

import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.DrDrillWorkflow;
import io.temporal.workflow.Workflow;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Stands in for the real drill: records the request it was started with, then holds. */
public class RecordingDrillWorkflow implements DrDrillWorkflow {
  /** Every request that reached a worker: one per started workflow, replays aside. */
  public static final Queue<DrillRequest> STARTED = new ConcurrentLinkedQueue<>();

  @Override
  public DrillReport drill(DrillRequest request) {
    if (!Workflow.isReplaying()) {
      STARTED.add(request);
    }
    Workflow.await(() -> false);
    return null;
  }

  @Override
  public RunState state() {
    return null;
  }
}
