package dev.lifeboat.activities;

import static dev.lifeboat.activities.Failures.typed;

import dev.lifeboat.activities.drills.DrillChecker;
import dev.lifeboat.activities.drills.DrillPlanner;
import dev.lifeboat.catalog.DrillReportStore;
import dev.lifeboat.common.activity.DrillActivities;
import dev.lifeboat.common.model.DrillPlan;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillVerification;
import dev.lifeboat.common.platform.Platform;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.MDC;

public class DrillActivitiesImpl implements DrillActivities {
  /** Well inside the workflow's heartbeat timeout, whatever one count takes. */
  private static final Duration KEEPALIVE = Duration.ofSeconds(5);

  private final DrillPlanner planner;
  private final DrillChecker checker;
  private final DrillReportStore reports;

  public DrillActivitiesImpl(Platform platform, DrillSettings settings, DrillReportStore reports, Clock clock) {
    this.planner = new DrillPlanner(platform, settings);
    this.checker = new DrillChecker(platform, clock);
    this.reports = reports;
  }

  @Override
  public DrillPlan planDrill(DrillRequest request) {
    return typed(() -> planner.plan(request));
  }

  @Override
  public DrillVerification runDrillChecks(String drillInstance, DrillPlan plan, String runId) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // One count(*) of a big table outlasts any heartbeat timeout: the keep-alive says the worker is alive.
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId);
        KeepAlive progress = new KeepAlive((detail, percent, bytes) -> context.heartbeat(detail), KEEPALIVE)) {
      progress.progress("starting suite " + plan.suite().name(), null, null);
      return typed(() -> checker.check(drillInstance, plan, detail -> progress.progress(detail, null, null)));
    }
  }

  @Override
  public void recordDrillReport(DrillReport report) {
    reports.save(report);
  }
}
