package dev.lifeboat.common.activity;

import dev.lifeboat.common.model.DrillPlan;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillVerification;
import io.temporal.activity.ActivityInterface;

/**
 * What a DR drill needs beyond the platform's restore and delete: a plan, the verification suite,
 * and the report's place in the catalog. Method names are activity type names: never rename one.
 */
@ActivityInterface
public interface DrillActivities {
  /**
   * Resolves the suite and targets, the source's analytics replica, the copy to restore in the
   * region and the point to replay to, and reads the source's newest data (the RPO reference).
   *
   * @throws dev.lifeboat.common.LifeboatException SUITE_NOT_FOUND, INSTANCE_NOT_FOUND,
   *     REGION_NOT_FOUND, NO_COPY_IN_REGION, NO_COMPARE_REPLICA, RESTORE_TIME_OUTSIDE_WINDOW
   */
  DrillPlan planDrill(DrillRequest request);

  /**
   * Runs every check of the plan's suite on the drill instance (row counts against the analytics
   * replica) and its freshness query; a check that fails is a result, not an exception.
   * Heartbeats while it runs.
   */
  DrillVerification runDrillChecks(String drillInstance, DrillPlan plan, String runId);

  /** Stores (or replaces, on a retry) the drill's report in the catalog. */
  void recordDrillReport(DrillReport report);
}
