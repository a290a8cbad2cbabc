package dev.lifeboat.common.workflow;

import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.RunState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.Map;

/**
 * The recovery itself: measures the candidate and refuses one that would lose more than allowed,
 * waits for an approver other than the requester (unless an admin declared an emergency), fences
 * the old primary, promotes the replica, repoints the other replicas, switches the pooler to the
 * new primary and checks where traffic lands, and reports RTO and data loss. With restore-in-dr it
 * restores the newest copy in a DR region as a permanent primary and recreates the analytics replica
 * there instead of promoting and repointing.
 */
@WorkflowInterface
public interface FailoverWorkflow {
  @WorkflowMethod
  Map<String, Object> failover(FailoverRequest request);

  @QueryMethod
  RunState state();

  /** Approves or rejects; the same update name as {@link TableRecoveryWorkflow#DECIDE}. */
  @UpdateMethod(name = TableRecoveryWorkflow.DECIDE)
  RunState decide(Decision decision);

  @UpdateValidatorMethod(updateName = TableRecoveryWorkflow.DECIDE)
  void validateDecision(Decision decision);
}
