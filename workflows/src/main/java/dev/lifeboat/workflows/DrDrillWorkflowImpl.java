package dev.lifeboat.workflows;

import static dev.lifeboat.common.workflow.DrillSteps.FAILOVER;
import static dev.lifeboat.common.workflow.DrillSteps.PLAN;
import static dev.lifeboat.common.workflow.DrillSteps.REPORT;
import static dev.lifeboat.common.workflow.DrillSteps.REPORT_PERCENT;
import static dev.lifeboat.common.workflow.DrillSteps.RESTORE;
import static dev.lifeboat.common.workflow.DrillSteps.RESTORE_PERCENT;
import static dev.lifeboat.common.workflow.DrillSteps.TEARDOWN;
import static dev.lifeboat.common.workflow.DrillSteps.TEARDOWN_PERCENT;
import static dev.lifeboat.common.workflow.DrillSteps.VERIFY;
import static dev.lifeboat.common.workflow.DrillSteps.VERIFY_PERCENT;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.DrillActivities;
import dev.lifeboat.common.activity.FailoverActivities;
import dev.lifeboat.common.activity.PlatformActivities;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillKind;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillPlan;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.DrillVerification;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.StepState;
import dev.lifeboat.common.workflow.DrDrillWorkflow;
import dev.lifeboat.common.workflow.FailoverWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;

/**
 * A DR drill. RTO runs from the drill's start to the end of its verification suite; RPO is the
 * source's newest data when the drill started (its analytics replica's freshness query, else the
 * newest commit it replayed) minus the newest data the drill recovered (the freshness query on the
 * drill instance, else the restored point in time). A failed check or a missed target fails the
 * run with DRILL_CHECKS_FAILED after the teardown and the report: a missed target must alert.
 *
 * <p>A {@code failover} drill replaces the restore with the restore-in-dr {@link FailoverWorkflow}
 * itself, run as a child on copies ({@link Rehearsal}): it restores the drill instance as its
 * temporary primary, recreates the analytics replica as a temporary replica of it, and switches a
 * pooler entry of the drill's own, a copy of production's; the suite then verifies the new primary
 * and the teardown deletes both instances and the entry. Production is never touched.
 */
public class DrDrillWorkflowImpl implements DrDrillWorkflow {
  private static final Logger log = Workflow.getLogger(DrDrillWorkflowImpl.class);

  /** Refusals of the plan no retry changes. */
  private static final String[] PLAN_DO_NOT_RETRY = Stream.concat(Stream.of(ActivityStubs.DO_NOT_RETRY),
      Stream.of(ErrorType.SUITE_NOT_FOUND, ErrorType.NO_COPY_IN_REGION, ErrorType.NO_COMPARE_REPLICA)
          .map(Enum::name)).toArray(String[]::new);

  private final PlatformActivities platform = Workflow.newActivityStub(PlatformActivities.class, ActivityStubs.quick());

  /** As in the point-in-time restore: the teardown never races a restore still writing the instance. */
  private final PlatformActivities restorer = Workflow.newActivityStub(PlatformActivities.class,
      ActivityStubs.longRunningUntilStopped(Duration.ofHours(12), 5));

  private final DrillActivities planner = Workflow.newActivityStub(DrillActivities.class,
      ActivityOptions.newBuilder(ActivityStubs.quick())
          .setRetryOptions(RetryOptions.newBuilder()
              .setMaximumInterval(Duration.ofSeconds(30))
              .setMaximumAttempts(5)
              .setDoNotRetry(PLAN_DO_NOT_RETRY)
              .build())
          .build());

  /**
   * Counting the rows of big tables takes minutes: the activity keeps heartbeating meanwhile, so a
   * dead worker is noticed within the heartbeat timeout whatever one query takes.
   */
  private final DrillActivities checker = Workflow.newActivityStub(DrillActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(4))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(2))
              .setMaximumAttempts(3)
              .setDoNotRetry(ActivityStubs.DO_NOT_RETRY)
              .build())
          .build());

  /** The report must reach the catalog, as the run's own records do: retried without limit, briefly spaced. */
  private final DrillActivities reports =
      Workflow.newActivityStub(DrillActivities.class, ActivityStubs.catalogOptions());

  private final CatalogActivities catalog = ActivityStubs.catalog();

  /** A failover drill's pooler entry: opened before its failover, closed by the teardown. */
  private final FailoverActivities pooler = Workflow.newActivityStub(FailoverActivities.class,
      ActivityStubs.failoverStep(Duration.ofMinutes(5), Duration.ofSeconds(10)));

  /** A failover drill's temporary replica: the drill instance's id with this suffix. */
  static final String REPLICA_SUFFIX = "-replica";

  private RunTracker run;

  /** What the drill found so far; the report is made from it whenever the drill ends. */
  private static final class Findings {
    DrillPlan plan;
    Instant restoredAt;
    DrillVerification verification;
    Instant verifiedAt;
    boolean deleted;
    List<DrillCheck> checks = List.of();
    DrillMeasure rto;
    DrillMeasure rpo;
    /** Failover drills: the drill's pooler entry and its temporary replica (null: none). */
    String poolerDatabase;
    String replica;
  }

  @Override
  public DrillReport drill(DrillRequest request) {
    DrillSource source = request.source() == null ? DrillSource.LATEST_COPY : request.source();
    run = new RunTracker(RunKind.DRILL, request.instance(), request.requester(), request.reason(),
        RunTracker.map("instance", request.instance(), "region", request.region(), "source", source.wireName(),
            "verification", request.verification(), "targets", targets(request.targets()), "reason",
            request.reason(), "kind", request.kind() == null ? null : request.kind().wireName(),
            "database", request.database(), "maxDataLoss", request.maxDataLoss() == null ? null
                : request.maxDataLoss().toString()));
    String drillId = INSTANCE_PREFIX + Workflow.randomUUID().toString().substring(0, 8);
    boolean failover = request.kindOrDefault() == DrillKind.FAILOVER;
    Findings found = new Findings();

    try {
      run.begin(PLAN, 0, "choosing the " + source.wireName() + " of " + request.instance() + " in region "
          + request.region() + " and the verification suite");
      record();
      DrillPlan plan = planner.planDrill(request);
      found.plan = plan;
      if (plan.detail() != null) {
        run.detail(plan.detail());
      }

      Duration ttl = plan.instanceTtl() == null ? DrillSettings.DEFAULT_INSTANCE_TTL : plan.instanceTtl();
      if (failover) {
        rehearseFailover(request, drillId, run.startedAt().plus(ttl), found);
        plan = found.plan;
      } else {
        run.begin(RESTORE, RESTORE_PERCENT, "restoring copy " + plan.snapshotId() + " in " + plan.region()
            + " into " + drillId + " and replaying WAL to " + plan.restoreTo());
        record();
        restorer.restoreToPointInTime(new RestoreSpec(drillId, plan.instance(), plan.restoreTo(), plan.snapshotId(),
            run.runId(), request.requester(), run.startedAt().plus(ttl), plan.region()));
      }
      found.restoredAt = RunTracker.now();

      run.begin(VERIFY, VERIFY_PERCENT, "running verification suite " + plan.suite().name() + " on " + drillId);
      record();
      found.verification = checker.runDrillChecks(drillId, plan, run.runId());
      found.verifiedAt = RunTracker.now();
      measure(found);
      List<DrillCheck> failed = failed(found.checks);
      if (failed.isEmpty()) {
        run.detail(found.checks.size() + " checks passed; RTO " + found.rto.measured() + ", RPO "
            + found.rpo.measured());
      } else {
        run.endStep("failed", failed.size() + " of " + found.checks.size() + " checks failed: " + labels(failed));
      }

      if (failover) {
        run.begin(TEARDOWN, TEARDOWN_PERCENT, "deleting " + (found.replica == null ? "" : found.replica + ", ")
            + drillId + " and pooler entry " + found.poolerDatabase);
        record();
        if (found.replica != null) {
          platform.deleteTemporaryInstance(found.replica);
        }
        platform.deleteTemporaryInstance(drillId);
        pooler.closeRehearsalRoute(found.poolerDatabase);
      } else {
        run.begin(TEARDOWN, TEARDOWN_PERCENT, "deleting drill instance " + drillId);
        record();
        platform.deleteTemporaryInstance(drillId);
      }
      found.deleted = true;
    } catch (TemporalFailure e) {
      found.deleted = failover ? teardownRehearsalAfterFailure(drillId, found)
          : TemporaryInstances.teardownAfterFailure(run, platform, TEARDOWN, drillId);
      endAfterFailure(request, source, drillId, found, e);
      throw e;
    }

    run.begin(REPORT, REPORT_PERCENT, "storing the report");
    List<DrillCheck> failed = failed(found.checks);
    RunError error = failed.isEmpty() ? null
        : new RunError(ErrorType.DRILL_CHECKS_FAILED.name(), failureMessage(failed, found.checks.size()));
    DrillReport report = report(request, source, drillId, found, error);
    reports.recordDrillReport(report);
    if (error == null) {
      run.succeeded(result(drillId, found, report));
      record();
      log.info("drill {} passed: RTO {} (target {}), RPO {} (target {})", run.runId(), found.rto.measured(),
          found.rto.target(), found.rpo.measured(), found.rpo.target());
      return report;
    }
    result(drillId, found, report).forEach(run::publish);
    run.endStep("succeeded", null);
    run.failed(RunPhase.FAILED, error.type(), error.message());
    record();
    alert(request, error);
    throw ApplicationFailure.newNonRetryableFailure(error.message(), error.type(),
        Map.of("failedChecks", failed.stream().map(DrillCheck::label).toList()));
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot();
  }

  /**
   * A failover drill's restore: opens the drill's pooler entry (a copy of production's), then runs
   * the restore-in-dr failover as a child on copies and waits for it; the plan then names the copy
   * and the point the failover restored. The failover's run has its own id, report and steps.
   */
  private void rehearseFailover(DrillRequest request, String drillId, Instant expiresAt, Findings found) {
    DrillPlan plan = found.plan;
    found.poolerDatabase = Rehearsal.poolerDatabase(request.database(), Rehearsal.drillSuffix(run.runId()));
    // the replica recreated: the one named, else the analytics replica the drill compares with
    String analytics = request.analyticsReplica() != null ? request.analyticsReplica() : plan.compareOn();
    found.replica = analytics == null ? null : drillId + REPLICA_SUFFIX;
    String childId = run.runId() + "-failover";
    run.begin(FAILOVER, RESTORE_PERCENT, "rehearsing the restore-in-dr failover of " + request.instance() + " in "
        + plan.region() + " (run " + childId + "): temporary primary " + drillId
        + (found.replica == null ? "" : ", temporary replica " + found.replica) + ", pooler entry "
        + found.poolerDatabase + " (a copy of " + request.database() + ")");
    record();
    pooler.openRehearsalRoute(found.poolerDatabase, request.database());
    FailoverWorkflow child = Workflow.newChildWorkflowStub(FailoverWorkflow.class,
        ChildWorkflowOptions.newBuilder().setWorkflowId(childId).build());
    Map<String, Object> result = child.failover(new FailoverRequest(request.instance(), FailoverMode.RESTORE_IN_DR,
        null, found.poolerDatabase, request.maxDataLoss(), false, false, null,
        "failover drill " + run.runId() + ": " + request.reason(), request.requester(), plan.region(), drillId,
        analytics, found.replica, new Rehearsal(run.runId(), expiresAt, request.database())));
    String restoredFrom = (String) result.get("restoredFrom");
    Instant restoredTo = Instant.parse((String) result.get("restoredTo"));
    found.plan = new DrillPlan(plan.instance(), plan.region(), plan.source(), plan.suite(), plan.targets(),
        plan.compareOn(), restoredFrom, restoredFrom.equals(plan.snapshotId()) ? plan.snapshotStoppedAt() : null,
        restoredTo, plan.sourceNewest(), plan.sourceNewestBasis(), plan.instanceTtl(),
        "the failover restored copy " + restoredFrom + " to " + restoredTo);
    run.publish("failover", RunTracker.map("runId", childId, "newPrimary", drillId, "replicas", result.get("replicas"),
        "poolerDatabase", found.poolerDatabase, "restoredFrom", restoredFrom, "restoredTo", restoredTo.toString(),
        "rto", result.get("rto"), "dataLoss", result.get("dataLoss"), "dataLossBasis", result.get("dataLossBasis")));
  }

  /** As {@link TemporaryInstances#teardownAfterFailure}, for a failover drill's two instances and pooler entry. */
  private boolean teardownRehearsalAfterFailure(String drillId, Findings found) {
    boolean gone = found.replica == null ? TemporaryInstances.teardownAfterFailure(run, platform, TEARDOWN, drillId)
        : TemporaryInstances.teardownAfterFailure(run, platform, TEARDOWN, found.replica, drillId);
    if (found.poolerDatabase == null) {
      return gone;
    }
    Workflow.newDetachedCancellationScope(() -> {
      Instant begun = RunTracker.now();
      try {
        pooler.closeRehearsalRoute(found.poolerDatabase);
        run.cleanupStep(TEARDOWN, "succeeded", begun, "removed pooler entry " + found.poolerDatabase);
      } catch (ActivityFailure e) {
        run.cleanupStep(TEARDOWN, "failed", begun, "could not remove pooler entry " + found.poolerDatabase + ": "
            + Failures.message(e) + " (remove it from the pooler's [databases] by hand)");
      }
    }).run();
    return gone;
  }

  /** RTO and RPO against their targets, appended to the suite's checks as {@code target} checks. */
  private void measure(Findings found) {
    DrillPlan plan = found.plan;
    DrillTargets targets = plan.targets() == null ? DrillSettings.DEFAULT_TARGETS : plan.targets();
    Instant startedAt = run.startedAt();
    Duration rto = Duration.between(startedAt, found.verifiedAt);
    found.rto = measure(rto, targets.rto(), "drill start " + startedAt + " to verified instance " + found.verifiedAt);

    Instant recovered = found.verification.newestData() != null ? found.verification.newestData() : plan.restoreTo();
    String recoveredBasis = found.verification.newestData() != null
        ? "the newest row on the drill instance (freshness query)" : "the restored point in time";
    Instant reference = plan.sourceNewest() != null ? plan.sourceNewest() : startedAt;
    String referenceBasis = plan.sourceNewest() != null ? plan.sourceNewestBasis()
        : "the drill's start (the source's newest data is unknown)";
    Duration rpo = Duration.between(recovered, reference);
    found.rpo = measure(rpo.isNegative() ? Duration.ZERO : rpo, targets.rpo(),
        referenceBasis + " " + reference + " minus " + recoveredBasis + " " + recovered);

    List<DrillCheck> checks = new ArrayList<>(found.verification.checks());
    checks.add(targetCheck("rto", found.rto, found.verifiedAt));
    checks.add(targetCheck("rpo", found.rpo, found.verifiedAt));
    found.checks = List.copyOf(checks);
  }

  private static DrillMeasure measure(Duration measured, Duration target, String basis) {
    return new DrillMeasure(measured, target, target == null ? null : measured.compareTo(target) <= 0, basis);
  }

  private static DrillCheck targetCheck(String name, DrillMeasure measure, Instant at) {
    boolean met = measure.met() == null || measure.met();
    return new DrillCheck(name, DrillCheck.TARGET, met, String.valueOf(measure.measured()),
        measure.target() == null ? "no target" : "<= " + measure.target(),
        (met ? "met: " : "missed: ") + measure.basis(), at);
  }

  /**
   * Ends a drill that failed or was cancelled before its verdict: the report says how far it got.
   * Detached: a cancelled scope cannot schedule activities, and report and run must be recorded.
   */
  private void endAfterFailure(DrillRequest request, DrillSource source, String drillId, Findings found,
      TemporalFailure failure) {
    boolean cancelled = Failures.isCancellation(failure);
    RunError error = cancelled ? new RunError("CANCELLED", "cancelled") : Failures.error(failure);
    run.failed(cancelled ? RunPhase.CANCELLED : RunPhase.FAILED, error.type(), error.message());
    DrillReport report = report(request, source, drillId, found, error);
    Workflow.newDetachedCancellationScope(() -> {
      try {
        reports.recordDrillReport(report);
      } catch (ActivityFailure e) {
        log.error("drill {}: could not store its report: {}", run.runId(), Failures.message(e));
      }
      catalog.recordRun(run.snapshot());
    }).run();
    if (cancelled) {
      log.warn("drill {} was cancelled; drill instance {} {}", run.runId(), drillId,
          found.deleted ? "deleted" : "NOT deleted (the reaper will retry)");
    } else {
      alert(request, error);
    }
  }

  /** A failed drill is an alert: logged at ERROR with the run id, and counted. */
  private void alert(DrillRequest request, RunError error) {
    log.error("DR drill {} of {} in {} FAILED: {} {}", run.runId(), request.instance(), request.region(),
        error.type(), error.message());
    Workflow.getMetricsScope()
        .tagged(Map.of("instance", String.valueOf(request.instance()), "region", String.valueOf(request.region())))
        .counter("lifeboat_drill_failed")
        .inc(1);
  }

  private DrillReport report(DrillRequest request, DrillSource source, String drillId, Findings found,
      RunError error) {
    DrillPlan plan = found.plan;
    RunState state = run.snapshot();
    // the report step is still open while the report is stored; it is not part of the report
    List<StepState> steps = state.steps().stream()
        .filter(step -> !(REPORT.equals(step.name()) && step.stoppedAt() == null))
        .toList();
    DrillTargets targets = plan != null ? plan.targets() : request.targets();
    DrillMeasure rto = found.rto != null ? found.rto
        : new DrillMeasure(null, targets == null ? null : targets.rto(), null, "not measured: the drill ended early");
    DrillMeasure rpo = found.rpo != null ? found.rpo
        : new DrillMeasure(null, targets == null ? null : targets.rpo(), null, "not measured: the drill ended early");
    boolean passed = error == null && !found.checks.isEmpty() && failed(found.checks).isEmpty();
    return new DrillReport(run.runId(), request.instance(), request.region(), source.wireName(),
        plan != null ? plan.suite().name() : request.verification(), request.requester(), request.reason(),
        plan == null ? null : plan.snapshotId(), plan == null ? null : plan.snapshotStoppedAt(),
        found.restoredAt == null ? null : plan.restoreTo(), drillId, found.deleted,
        plan == null ? null : plan.compareOn(), run.startedAt(), found.restoredAt, found.verifiedAt,
        state.stoppedAt() != null ? state.stoppedAt() : RunTracker.now(), rto, rpo, passed, found.checks, steps,
        error);
  }

  private static Map<String, Object> result(String drillId, Findings found, DrillReport report) {
    return RunTracker.map("passed", report.passed(), "drillInstance", drillId, "snapshotId", report.snapshotId(),
        "restoredTo", String.valueOf(report.restoredTo()), "rto", String.valueOf(found.rto.measured()),
        "rtoTarget", String.valueOf(found.rto.target()), "rtoMet", found.rto.met(),
        "rpo", String.valueOf(found.rpo.measured()), "rpoTarget", String.valueOf(found.rpo.target()),
        "rpoMet", found.rpo.met(), "checks", found.checks.size(),
        "failedChecks", failed(found.checks).stream().map(DrillCheck::label).toList());
  }

  private static List<DrillCheck> failed(List<DrillCheck> checks) {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  private static String labels(List<DrillCheck> checks) {
    return checks.stream().map(DrillCheck::label).collect(Collectors.joining(", "));
  }

  static String failureMessage(List<DrillCheck> failed, int total) {
    return failed.size() + " of " + total + " checks failed: " + failed.stream()
        .map(c -> c.label() + " (" + c.value() + ", expected " + c.expected() + ")")
        .collect(Collectors.joining("; "));
  }

  private static Map<String, Object> targets(DrillTargets targets) {
    if (targets == null) {
      return null;
    }
    return RunTracker.map("rto", targets.rto() == null ? null : targets.rto().toString(),
        "rpo", targets.rpo() == null ? null : targets.rpo().toString());
  }

  private void record() {
    catalog.recordRun(run.snapshot());
  }
}
