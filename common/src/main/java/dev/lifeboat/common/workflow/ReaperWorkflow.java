package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.ReapRequest;
import dev.lifeboat.common.model.ReapResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The second guard against leaked temporary instances: deletes every temporary instance whose
 * TTL passed more than a grace period ago (its own run should have deleted it at its TTL).
 */
@WorkflowInterface
public interface ReaperWorkflow {
  @WorkflowMethod
  ReapResult reap(ReapRequest request);
}
