package dev.lifeboat.common.workflow;

import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.RunState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Rehearses disaster recovery: in a DR region, restores the newest snapshot copy (or the latest
 * restorable time) into a temporary drill instance, runs a verification suite on it, measures RTO
 * and RPO against their targets, always tears the drill instance down, and stores a report. A
 * failed check or a missed target ends the run {@code failed} (DRILL_CHECKS_FAILED) with the
 * report naming each.
 */
@WorkflowInterface
public interface DrDrillWorkflow {
  /** Prefix of every drill instance. */
  String INSTANCE_PREFIX = "lb-drill-";

  @WorkflowMethod
  DrillReport drill(DrillRequest request);

  @QueryMethod
  RunState state();
}
