package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.DrillActivities;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillPlan;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.DrillVerification;
import dev.lifeboat.common.model.RowCountRule;
import dev.lifeboat.common.model.SqlCheck;
import dev.lifeboat.common.model.VerificationSuite;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Drill activities with a fixed plan and scripted check results, so the drill workflow is tested alone. */
final class FakeDrillActivities implements DrillActivities {
  static final VerificationSuite SUITE = new VerificationSuite("techcorp",
      List.of(new RowCountRule("orders", List.of("all"), "0")),
      List.of(new SqlCheck("recent-orders", "select true")), List.of("plpgsql"), List.of("postgres"),
      "select max(created_at) from orders.orders");
  /** The source's newest row when the drill starts. */
  static final Instant SOURCE_NEWEST = Instant.parse("2026-11-29T03:59:00Z");
  static final Instant COPY_POINT = Instant.parse("2026-11-29T03:00:10Z");

  final List<DrillRequest> plans = new CopyOnWriteArrayList<>();
  final List<String> checkedInstances = new CopyOnWriteArrayList<>();
  final List<DrillReport> reports = new CopyOnWriteArrayList<>();
  volatile ErrorType planFailure;
  volatile boolean failingSqlCheck;
  /** Newest row the freshness query finds on the drill instance; null: none configured. */
  volatile Instant drillNewest = SOURCE_NEWEST.minus(Duration.ofMinutes(58));
  /** Real time the checks take, so the RTO is never zero. */
  volatile Duration checkTime = Duration.ofMillis(20);
  /** When set, the checks wait on it (a drill to cancel mid-verification). */
  volatile CountDownLatch holdChecks;

  @Override
  public DrillPlan planDrill(DrillRequest request) {
    plans.add(request);
    if (planFailure != null) {
      throw ApplicationFailure.newNonRetryableFailure("no copy of " + request.instance() + " in " + request.region(),
          planFailure.name());
    }
    return new DrillPlan(request.instance(), request.region(),
        request.source() == null ? DrillSource.LATEST_COPY : request.source(), SUITE,
        DrillSettings.NONE.targetsFor(request.targets()), "techcorp-analytics", "lb-techcorp-primary-20261129-0300",
        COPY_POINT.minusSeconds(5), COPY_POINT, SOURCE_NEWEST, "newest row on techcorp-analytics (freshness query)",
        Duration.ofHours(6), "restoring the newest copy");
  }

  @Override
  public DrillVerification runDrillChecks(String drillInstance, DrillPlan plan, String runId) {
    checkedInstances.add(drillInstance);
    try {
      if (holdChecks != null) {
        holdChecks.await(30, TimeUnit.SECONDS);
      }
      Thread.sleep(checkTime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Instant now = Instant.now();
    return new DrillVerification(List.of(
        new DrillCheck("orders.orders", DrillCheck.ROW_COUNT, true, "5000", "5000 ± 0 (techcorp-analytics)", null, now),
        new DrillCheck("recent-orders", DrillCheck.SQL, !failingSqlCheck, failingSqlCheck ? "false" : "true", "true",
            null, now),
        new DrillCheck("plpgsql", DrillCheck.EXTENSION, true, "1.0", "installed", null, now)), drillNewest);
  }

  @Override
  public void recordDrillReport(DrillReport report) {
    reports.add(report);
  }

  DrillReport lastReport() {
    return reports.get(reports.size() - 1);
  }
}
