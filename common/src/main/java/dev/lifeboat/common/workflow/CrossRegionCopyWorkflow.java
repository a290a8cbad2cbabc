package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.CopyOutcome;
import dev.lifeboat.common.model.CopyRequest;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Copies one snapshot to one DR region, verified; the copy carries what a restore there needs. */
@WorkflowInterface
public interface CrossRegionCopyWorkflow {
  @WorkflowMethod
  CopyOutcome copy(CopyRequest request);
}
