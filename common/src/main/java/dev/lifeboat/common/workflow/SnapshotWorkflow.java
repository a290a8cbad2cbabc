package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.SnapshotResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Snapshots every instance of a policy (in parallel up to a limit) with deterministic ids, then
 * copies each snapshot to every DR region through {@link CrossRegionCopyWorkflow} children.
 */
@WorkflowInterface
public interface SnapshotWorkflow {
  @WorkflowMethod
  SnapshotResult snapshot(SnapshotRequest request);

  @QueryMethod
  RunState state();
}
