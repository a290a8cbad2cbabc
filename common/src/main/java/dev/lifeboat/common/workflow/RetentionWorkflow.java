package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RetentionResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Expires Lifeboat's snapshots by policy in every region (never the newest, never below the
 * minimum kept, never what the PITR window still needs), records every deletion in the audit
 * log, and checks that each instance's PITR window is intact.
 */
@WorkflowInterface
public interface RetentionWorkflow {
  @WorkflowMethod
  RetentionResult expire(RetentionRequest request);
}
