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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

public class DrillActivitiesImpl implements DrillActivities {
  private static final Logger log = LoggerFactory.getLogger(DrillActivitiesImpl.class);
  /** Well inside the workflow's heartbeat timeout, whatever one count takes. */
  private static final long HEARTBEAT_SECONDS = 10;

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
    MDC.put("runId", runId);
    ActivityExecutionContext context = Activity.getExecutionContext();
    AtomicReference<String> doing = new AtomicReference<>("starting suite " + plan.suite().name());
    // One count(*) of a big table outlasts any heartbeat timeout: a ticker says the worker is alive.
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "drill-heartbeat-" + runId);
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> {
      try {
        context.heartbeat(doing.get());
      } catch (RuntimeException e) {
        // cancelled or timed out: the workflow tears the instance down, which ends the checks
        log.info("drill {}: heartbeat not accepted ({}); the checks end with the drill instance", runId,
            e.getClass().getSimpleName());
      }
    }, 0, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    try {
      return typed(() -> checker.check(drillInstance, plan, doing::set));
    } finally {
      ticker.shutdownNow();
      MDC.remove("runId");
    }
  }

  @Override
  public void recordDrillReport(DrillReport report) {
    reports.save(report);
  }
}
