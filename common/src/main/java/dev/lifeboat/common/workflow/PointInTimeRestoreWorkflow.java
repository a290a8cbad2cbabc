package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RunState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Restores an instance to a point in time into a new temporary instance, verifies it, publishes
 * its endpoint, holds it until released or its TTL ends, then deletes it. Never touches the
 * source instance.
 */
@WorkflowInterface
public interface PointInTimeRestoreWorkflow {
  String TASK_QUEUE = "lifeboat";

  @WorkflowMethod
  RestoreResult restore(RestoreRequest request);

  @QueryMethod
  RunState state();

  /** Ends the hold now (or skips it, when the instance is not ready yet); answers the new state. */
  @UpdateMethod
  RunState release(ReleaseRequest request);

  @UpdateValidatorMethod(updateName = "release")
  void validateRelease(ReleaseRequest request);
}
