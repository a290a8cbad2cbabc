package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.TableRecoveryRequest;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.Map;

/**
 * Brings back rows of tables as of a point in time: restores the source to a temporary instance,
 * exports the tables (binary COPY, into the export store, with a manifest), compares them with
 * the current rows read from the analytics replica, waits for an approver (never the requester),
 * imports into the primary in one transaction per table, and tears the temporary instance down.
 */
@WorkflowInterface
public interface TableRecoveryWorkflow {
  /** Name of the update that approves or rejects a run waiting for approval; any kind with approval uses it. */
  String DECIDE = "decide";

  /** @return the run's result: export, comparison and import outcomes */
  @WorkflowMethod
  Map<String, Object> recover(TableRecoveryRequest request);

  @QueryMethod
  RunState state();

  /** Approves or rejects; answers the run's new state. */
  @UpdateMethod(name = DECIDE)
  RunState decide(Decision decision);

  @UpdateValidatorMethod(updateName = DECIDE)
  void validateDecision(Decision decision);
}
