package dev.lifeboat.workflows;

import static dev.lifeboat.common.workflow.FailoverSteps.APPROVAL;
import static dev.lifeboat.common.workflow.FailoverSteps.APPROVAL_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.FENCE;
import static dev.lifeboat.common.workflow.FailoverSteps.FENCE_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.PREFLIGHT;
import static dev.lifeboat.common.workflow.FailoverSteps.PROMOTE;
import static dev.lifeboat.common.workflow.FailoverSteps.PROMOTE_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPLICA;
import static dev.lifeboat.common.workflow.FailoverSteps.REPLICA_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPOINT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPOINT_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPORT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPORT_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.RESTORE;
import static dev.lifeboat.common.workflow.FailoverSteps.RESTORE_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.SWITCH;
import static dev.lifeboat.common.workflow.FailoverSteps.SWITCH_PERCENT;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.FailoverActivities;
import dev.lifeboat.common.failover.DrCopyState;
import dev.lifeboat.common.failover.DrReplicaResult;
import dev.lifeboat.common.failover.DrRestoreResult;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.failover.ReplicaState;
import dev.lifeboat.common.failover.RepointResult;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.DrDrillWorkflow;
import dev.lifeboat.common.workflow.FailoverWorkflow;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Promote-replica or restore-in-dr failover. Nothing changes before the approval (or an admin's emergency): the
 * preflight only measures. From the fence on, every step is an idempotent activity whose
 * completion is in the workflow's history, so a worker that dies after the promotion resumes at
 * the repoint or the switch and never promotes or switches twice. A failure after the promotion
 * does not undo it (there is no safe undo of a promotion): the run fails naming the step, with
 * what was done in its result.
 */
public class FailoverWorkflowImpl implements FailoverWorkflow {
  static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(1);
  /** The change id of restore-in-dr: runs started before it refused that mode. */
  static final String RESTORE_IN_DR_VERSION = "restore-in-dr";
  /** The change id of holding an unmeasurable loss's upper bound to maxDataLoss (promote-replica). */
  static final String UNKNOWN_LOSS_BOUND_VERSION = "unknown-loss-bound";
  /** How a failover drill's fence step reads: production's primary is never fenced by a drill. */
  static final String NOT_FENCED = "not-fenced (drill)";

  /** A repoint that rebuilds a replica is the longest step: a base backup. */
  private static final ActivityOptions STEP_OPTIONS =
      ActivityStubs.failoverStep(Duration.ofMinutes(30), Duration.ofSeconds(10));
  private final FailoverActivities steps = Workflow.newActivityStub(FailoverActivities.class, STEP_OPTIONS);

  /**
   * restore-in-dr's restore replays the region's WAL from the copy: hours for a big instance. It
   * heartbeats too; a retry finds the instance an earlier attempt restored.
   */
  private final FailoverActivities restoreSteps = Workflow.newActivityStub(FailoverActivities.class,
      ActivityOptions.newBuilder(STEP_OPTIONS)
          .setStartToCloseTimeout(Duration.ofHours(6))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .build());

  /**
   * A failover drill's steps that create or switch something: a cancelled drill waits for them to
   * stop, so its teardown never races a restore, a replica or a switch still under way.
   */
  private final FailoverActivities rehearsalSteps = Workflow.newActivityStub(FailoverActivities.class,
      ActivityOptions.newBuilder(STEP_OPTIONS)
          .setStartToCloseTimeout(Duration.ofHours(6))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .build());

  private final CatalogActivities catalog = ActivityStubs.catalog();

  private RunTracker run;
  private final Approval approval = new Approval();

  @Override
  public Map<String, Object> failover(FailoverRequest request) {
    approval.requester(request.requester());
    run = new RunTracker(RunKind.FAILOVER, request.instance(), request.requester(), request.reason(),
        request(request));
    try {
      if (request.rehearsal() != null) {
        refuseProductionInRehearsal(request);
      }
      if (request.mode() != FailoverMode.PROMOTE_REPLICA) {
        // runs started before restore-in-dr was built refused the mode here
        if (Workflow.getVersion(RESTORE_IN_DR_VERSION, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
          throw ApplicationFailure.newNonRetryableFailure("Failover mode " + request.mode().wireName()
              + " is not built yet; use promote-replica.", ErrorType.INVALID_REQUEST.name());
        }
        return restoreInDr(request);
      }
      run.begin(PREFLIGHT, 0, "measuring " + request.replica() + " and where " + request.database() + " points");
      record();
      ReplicaState candidate = steps.measureReplica(request.replica());
      TrafficRoute before = steps.route(request.database());
      List<String> others = steps.replicasOf(request.instance(), request.replica());
      String expectedLoss = lossText(candidate);
      run.publish("preflight", RunTracker.map("candidate", candidate, "routeBefore", before,
          "replicasToRepoint", others, "expectedDataLoss", expectedLoss));
      refuseForeignRoute(request, before);
      refuseTooMuchLoss(request, candidate, true);

      boolean waited = approve(request, "promote " + request.replica() + " and switch " + request.database()
          + " to it (expected data loss " + expectedLoss + ")", "nothing was fenced, promoted or switched");
      Instant approvedAt = RunTracker.now();
      if (waited) {
        // the approval may have taken hours: what was approved must still hold
        candidate = steps.measureReplica(request.replica());
        run.publish("atApproval", RunTracker.map("candidate", candidate,
            "expectedDataLoss", text(candidate.expectedDataLoss())));
        refuseTooMuchLoss(request, candidate, false);
      }

      run.begin(FENCE, FENCE_PERCENT, "stopping writes on " + request.instance());
      record();
      FenceResult fence = steps.fence(request.instance());
      run.publish("fence", fence);

      run.begin(PROMOTE, PROMOTE_PERCENT, "promoting " + request.replica());
      record();
      PromoteResult promoted = steps.promote(request.replica());
      run.publish("promote", promoted);

      run.begin(REPOINT, REPOINT_PERCENT, others.isEmpty() ? "no other replica to repoint"
          : "pointing " + String.join(", ", others) + " at " + request.replica());
      record();
      List<RepointResult> repointed = new ArrayList<>();
      for (String other : others) {
        repointed.add(steps.repoint(other, request.replica()));
        run.publish("repoint", List.copyOf(repointed));
      }

      run.begin(SWITCH, SWITCH_PERCENT, "switching " + request.database() + " to " + request.replica());
      record();
      TrafficRoute after = steps.switchTraffic(request.database(), request.replica());
      TrafficCheck check = steps.checkTraffic(request.database());
      Instant switchedAt = RunTracker.now();
      run.publish("switch", RunTracker.map("route", after, "check", check));
      requireLanded(request.database(), request.replica(), check,
          check.landsOn(after.port(), promoted.timeline(), promoted.systemIdentifier()));

      run.begin(REPORT, REPORT_PERCENT, "measuring RTO and data loss");
      record();
      run.succeeded(report(request, candidate, fence, promoted, approvedAt, switchedAt));
      record();
      return run.snapshot().result();
    } catch (TemporalFailure e) {
      if (!run.phase().terminal()) {
        Failures.recordEnd(run, e, catalog);
      }
      throw e;
    }
  }

  private static Map<String, Object> request(FailoverRequest request) {
    if (request.mode() != FailoverMode.RESTORE_IN_DR) {
      return RunTracker.map("instance", request.instance(), "mode", request.mode().wireName(),
          "replica", request.replica(), "database", request.database(),
          "maxDataLoss", String.valueOf(request.maxDataLoss()), "force", request.force(),
          "emergency", request.emergency(), "reason", request.reason());
    }
    return RunTracker.map("instance", request.instance(), "mode", request.mode().wireName(),
        "region", request.region(), "newInstance", request.newInstance(),
        "analyticsReplica", request.analyticsReplica(), "newReplica", request.newReplica(),
        "database", request.database(), "maxDataLoss", String.valueOf(request.maxDataLoss()),
        "force", request.force(), "emergency", request.emergency(), "reason", request.reason(),
        "rehearsalOf", request.rehearsal() == null ? null : request.rehearsal().drillRunId());
  }

  /**
   * Restore-in-dr, the night the primary's region is gone: measure what the DR region holds, wait
   * for the approval, fence the old primary when it answers, restore the newest restorable point in
   * the region as a permanent primary, recreate the analytics replica beside it, switch the pooler,
   * report. A failure after the restore leaves the restored instance (it may already hold the only
   * copy of the data); the run names the step.
   *
   * <p>A failover drill's run ({@link FailoverRequest#rehearsal()}) takes the same steps in the same
   * order on copies: no approval is waited for, the old primary is measured but not fenced, the
   * instances restored are the drill's temporary ones and the pooler entry switched is the drill's own.
   */
  private Map<String, Object> restoreInDr(FailoverRequest request) {
    Rehearsal rehearsal = request.rehearsal();
    String target = request.newInstance();
    run.begin(PREFLIGHT, 0, "measuring the newest copy of " + request.instance() + " in " + request.region()
        + " and where " + request.database() + " points");
    record();
    DrCopyState copy = steps.measureDrCopy(request.instance(), request.region());
    TrafficRoute before = steps.route(request.database());
    run.publish("preflight", RunTracker.map("copy", copy, "copyAge", text(copy.copyAge()),
        "newestRestorable", String.valueOf(copy.newestRestorable()), "routeBefore", before, "newInstance", target,
        "recreateReplica", request.newReplica() == null ? null
            : request.newReplica() + " (in place of " + request.analyticsReplica() + ")",
        "expectedDataLoss", text(copy.expectedDataLoss()), "summary", copySummary(copy)));
    refuseForeignRoute(request, before);
    refuseTooMuchLoss(request, copy);

    boolean waited = rehearsal == null && approve(request, "restore " + request.instance() + " in "
        + request.region() + " as " + target + " and switch " + request.database() + " to it (" + copySummary(copy)
        + ")", "nothing was fenced, restored or switched");
    if (rehearsal != null) {
      run.publish("approval", RunTracker.map("rehearsal", rehearsal.drillRunId(),
          "why", "a failover drill changes nothing in production: no approval is waited for"));
    }
    Instant approvedAt = RunTracker.now();
    if (waited) {
      // the approval may have taken hours: newer WAL may have been copied, or the primary written more
      copy = steps.measureDrCopy(request.instance(), request.region());
      run.publish("atApproval", RunTracker.map("copy", copy, "expectedDataLoss", text(copy.expectedDataLoss())));
      refuseTooMuchLoss(request, copy);
    }

    run.begin(FENCE, FENCE_PERCENT, rehearsal == null ? "stopping writes on " + request.instance()
        : "drill: " + request.instance() + " keeps taking writes (not fenced); its newest commit was measured");
    record();
    FenceResult fence = rehearsal == null ? steps.fence(request.instance())
        : new FenceResult(request.instance(), NOT_FENCED, null, copy.primaryLastCommit(), copy.measuredAt());
    run.publish("fence", fence);

    run.begin(RESTORE, RESTORE_PERCENT, "restoring " + request.instance() + " in " + request.region() + " as "
        + target + (rehearsal == null ? "" : " (temporary, the drill's)") + " from " + copy.snapshotId());
    record();
    DrRestoreResult restored = rehearsal == null
        ? restoreSteps.restoreInDr(request.instance(), request.region(), target)
        : rehearsalSteps.rehearseRestoreInDr(request.instance(), request.region(), target, rehearsal.drillRunId(),
            rehearsal.expiresAt());
    run.publish("restore", restored);

    List<DrReplicaResult> replicas = new ArrayList<>();
    run.begin(REPLICA, REPLICA_PERCENT, request.newReplica() == null ? "no analytics replica to recreate"
        : "creating " + request.newReplica() + ", a replica of " + target);
    record();
    if (request.newReplica() != null) {
      replicas.add(rehearsal == null
          ? restoreSteps.createDrReplica(request.newReplica(), target, request.analyticsReplica())
          : rehearsalSteps.createRehearsalReplica(request.newReplica(), target, request.analyticsReplica(),
              rehearsal.drillRunId(), rehearsal.expiresAt()));
      run.publish("replica", List.copyOf(replicas));
    }

    run.begin(SWITCH, SWITCH_PERCENT, "switching " + request.database() + " to " + target);
    record();
    TrafficRoute after = (rehearsal == null ? steps : rehearsalSteps).switchTraffic(request.database(), target);
    TrafficCheck check = steps.checkTraffic(request.database());
    Instant switchedAt = RunTracker.now();
    run.publish("switch", RunTracker.map("route", after, "check", check));
    requireLanded(request.database(), target, check,
        check.landsOn(after.port(), restored.timeline(), restored.systemIdentifier()));

    run.begin(REPORT, REPORT_PERCENT, "measuring RTO and data loss");
    record();
    run.succeeded(drReport(request, copy, fence, restored, replicas, approvedAt, switchedAt));
    record();
    return run.snapshot().result();
  }

  /**
   * A rehearsal switches only a drill's own pooler entry and restores only into a drill instance,
   * whoever builds the request: production's entry and instances are never its targets.
   */
  private static void refuseProductionInRehearsal(FailoverRequest request) {
    Rehearsal rehearsal = request.rehearsal();
    String why = request.mode() != FailoverMode.RESTORE_IN_DR ? "it rehearses restore-in-dr only"
        : !Rehearsal.isRehearsalDatabase(request.database()) || request.database().equals(rehearsal.productionDatabase())
            ? "its pooler entry " + request.database() + " is not a drill's own"
        : request.newInstance() == null || !request.newInstance().startsWith(DrDrillWorkflow.INSTANCE_PREFIX)
            ? "its new instance " + request.newInstance() + " is not a drill instance"
        : null;
    if (why != null) {
      throw ApplicationFailure.newNonRetryableFailure("This failover drill's run is refused: " + why
          + ". Nothing was changed.", ErrorType.INVALID_REQUEST.name());
    }
  }

  private static void requireLanded(String database, String newPrimary, TrafficCheck check, boolean landed) {
    if (!landed) {
      throw ApplicationFailure.newNonRetryableFailure("Traffic through the pooler for " + database
          + " does not land on the new primary " + newPrimary + " (in recovery: " + check.inRecovery()
          + ", server port " + check.port() + ", timeline " + check.timeline() + "); check the pooler's [databases]"
          + " entry.", ErrorType.PLATFORM_ERROR.name());
    }
  }

  private static String copySummary(DrCopyState copy) {
    return "copy " + copy.snapshotId() + " of " + copy.copyStoppedAt() + ", " + text(copy.copyAge()) + " old; newest"
        + " restorable point " + copy.newestRestorable() + "; expected data loss " + text(copy.expectedDataLoss())
        + (copy.primaryReachable() ? " (against the primary's newest commit " + copy.primaryLastCommit() + ")"
            : " (the primary does not answer: measured against now, an upper bound)");
  }

  private void refuseTooMuchLoss(FailoverRequest request, DrCopyState copy) {
    Duration loss = copy.expectedDataLoss();
    if (loss == null || request.maxDataLoss() == null || loss.compareTo(request.maxDataLoss()) <= 0) {
      return;
    }
    String measured = "The newest point restorable in " + request.region() + " is " + copy.newestRestorable()
        + " (copy " + copy.snapshotId() + "), " + text(loss) + " behind "
        + (copy.primaryReachable() ? request.instance() + "'s newest commit " + copy.primaryLastCommit()
            : "now (" + request.instance() + " does not answer)");
    if (request.force()) {
      run.publish("forced", measured + ", more than maxDataLoss " + text(request.maxDataLoss()));
      return;
    }
    throw ApplicationFailure.newNonRetryableFailure(measured + ": restoring it would lose more than maxDataLoss "
        + text(request.maxDataLoss()) + ". Nothing was changed. Copy a newer snapshot or its WAL to "
        + request.region() + ", or send \"force\": true to accept the loss.", ErrorType.DATA_LOSS_TOO_HIGH.name());
  }

  /**
   * RTO: from the request to traffic switched. Data loss: the old primary's newest commit (at the
   * fence, else at the preflight) minus the point restored to; when the old primary never answered,
   * the preflight's time minus that point, an upper bound.
   */
  private Map<String, Object> drReport(FailoverRequest request, DrCopyState copy, FenceResult fence,
      DrRestoreResult restored, List<DrReplicaResult> replicas, Instant approvedAt, Instant switchedAt) {
    Instant lastOld = fence.lastCommit() != null ? fence.lastCommit() : copy.primaryLastCommit();
    Instant reference = lastOld != null ? lastOld : copy.measuredAt();
    Instant restoredTo = restored.restoredTo();
    Duration loss = restoredTo == null || !reference.isAfter(restoredTo) ? Duration.ZERO
        : Duration.between(restoredTo, reference);
    Duration rto = Duration.between(run.startedAt(), switchedAt);
    return RunTracker.map(
        "newPrimary", request.newInstance(),
        "region", request.region(),
        "restoredFrom", restored.snapshotId(),
        "restoredTo", String.valueOf(restoredTo),
        "replicas", replicas.stream().map(DrReplicaResult::replica).toList(),
        "rto", rto.toString(),
        "rtoSeconds", rto.toMillis() / 1000.0,
        "approvalWaitSeconds", Duration.between(run.startedAt(), approvedAt).toMillis() / 1000.0,
        "switchSeconds", Duration.between(approvedAt, switchedAt).toMillis() / 1000.0,
        "dataLoss", loss.toString(),
        "dataLossSeconds", loss.toMillis() / 1000.0,
        "dataLossBasis", lastOld != null
            ? "old primary's newest commit " + lastOld + " against the point restored to " + restoredTo
            : "upper bound: the old primary did not answer, so the time of the preflight " + copy.measuredAt()
                + " against the point restored to " + restoredTo);
  }

  /** Switching a pooler entry that serves another instance would move that instance's clients. */
  private void refuseForeignRoute(FailoverRequest request, TrafficRoute before) {
    if (before.instance() == null || before.instance().equals(request.instance())
        || before.instance().equals(request.newPrimary()) || request.force()) {
      return;
    }
    throw ApplicationFailure.newNonRetryableFailure("The pooler's database " + request.database() + " points at "
        + before.instance() + ", not at " + request.instance() + ": switching it would move that instance's clients. "
        + "Name the pooler database of " + request.instance() + ", or send \"force\": true. Nothing was changed.",
        ErrorType.INVALID_REQUEST.name());
  }

  /**
   * @param atPreflight whether this is the measurement the approver sees: an unmeasurable loss's bound
   *     is held to maxDataLoss there only (it grows with the clock while the primary is down, so the
   *     approval's wait must not turn an approved failover into a refused one)
   */
  private void refuseTooMuchLoss(FailoverRequest request, ReplicaState candidate, boolean atPreflight) {
    if (!candidate.inRecovery()) {
      return;
    }
    Duration loss = candidate.expectedDataLoss();
    Duration bound = atPreflight ? unknownLossBound(candidate) : null;
    if (loss == null && bound != null) {
      loss = bound;
    }
    if (loss == null || request.maxDataLoss() == null || loss.compareTo(request.maxDataLoss()) <= 0) {
      return;
    }
    String measured = bound != null && candidate.expectedDataLoss() == null
        ? request.instance() + " does not answer, so what promoting " + request.replica() + " loses cannot be"
            + " measured: it is at most " + text(loss) + " (its last replayed commit " + candidate.lastReplayedCommit()
            + " to the measurement at " + candidate.measuredAt() + ", an upper bound)"
        : request.replica() + " lags " + candidate.lagBytes() + " bytes and " + text(loss) + " behind "
            + request.instance() + " (last replayed commit " + candidate.lastReplayedCommit() + ", primary's newest "
            + candidate.primaryLastCommit() + ")";
    if (request.force()) {
      run.publish("forced", measured + ", more than maxDataLoss " + text(request.maxDataLoss()));
      return;
    }
    throw ApplicationFailure.newNonRetryableFailure(measured + ": promoting it would lose more than maxDataLoss "
        + text(request.maxDataLoss()) + ". Nothing was changed. Wait for it to catch up, pick another replica, or "
        + "send \"force\": true to accept the loss.", ErrorType.DATA_LOSS_TOO_HIGH.name());
  }

  /**
   * When the old primary does not answer, the loss is not measurable: its upper bound, the time from
   * the candidate's last replayed commit to the measurement, is held to maxDataLoss (as restore-in-dr
   * holds its bound against now), so only {@code force} accepts an unknown loss beyond it. Runs
   * started before this bound let an unknown loss through; null for them, and when nothing bounds it.
   */
  private static Duration unknownLossBound(ReplicaState candidate) {
    if (candidate.primaryReachable() || candidate.expectedDataLoss() != null
        || candidate.lastReplayedCommit() == null || candidate.measuredAt() == null
        || Workflow.getVersion(UNKNOWN_LOSS_BOUND_VERSION, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return null;
    }
    Duration bound = Duration.between(candidate.lastReplayedCommit(), candidate.measuredAt());
    return bound.isNegative() ? Duration.ZERO : bound;
  }

  /**
   * RTO: from the request to traffic switched (approval wait included, and shown apart). Data
   * loss: the old primary's newest commit when it was fenced (or measured in the preflight) minus
   * the newest commit the new primary had replayed; unknown when the old primary never answered.
   */
  private Map<String, Object> report(FailoverRequest request, ReplicaState candidate, FenceResult fence,
      PromoteResult promoted, Instant approvedAt, Instant switchedAt) {
    Instant lastOld = fence.lastCommit() != null ? fence.lastCommit() : candidate.primaryLastCommit();
    Duration loss = null;
    if (lastOld != null) {
      Instant replayed = promoted.lastReplayedCommit();
      loss = replayed == null || !lastOld.isAfter(replayed) ? Duration.ZERO : Duration.between(replayed, lastOld);
    }
    Duration rto = Duration.between(run.startedAt(), switchedAt);
    return RunTracker.map(
        "newPrimary", request.replica(),
        "rto", rto.toString(),
        "rtoSeconds", rto.toMillis() / 1000.0,
        "approvalWaitSeconds", Duration.between(run.startedAt(), approvedAt).toMillis() / 1000.0,
        "switchSeconds", Duration.between(approvedAt, switchedAt).toMillis() / 1000.0,
        "dataLoss", loss == null ? null : loss.toString(),
        "dataLossSeconds", loss == null ? null : loss.toMillis() / 1000.0,
        "dataLossBasis", loss == null ? "unknown: the old primary did not answer, so its last commit is not known"
            : "old primary's newest commit " + lastOld + " against the newest commit the new primary replayed "
                + promoted.lastReplayedCommit());
  }

  private static String lossText(ReplicaState candidate) {
    Duration bound = unknownLossBound(candidate);
    return bound == null ? text(candidate.expectedDataLoss())
        : "unknown, at most " + text(bound) + " (the primary does not answer)";
  }

  private static String text(Duration duration) {
    return duration == null ? "unknown" : duration.toString();
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot();
  }

  @Override
  public RunState decide(Decision request) {
    return approval.decide(run, request);
  }

  @Override
  public void validateDecision(Decision request) {
    approval.validate(run, request);
  }

  /**
   * Waits for another person's approval of {@code what}, or records an admin's emergency that skips
   * it; a rejection or timeout ends the run saying {@code nothingChanged}.
   *
   * @return true when an approval was waited for (what was approved is then measured again)
   */
  private boolean approve(FailoverRequest request, String what, String nothingChanged) {
    if (request.emergency()) {
      run.publish("approval", RunTracker.map("emergency", true, "by", request.requester()));
      return false;
    }
    Duration timeout = request.approvalTimeout() == null ? DEFAULT_APPROVAL_TIMEOUT : request.approvalTimeout();
    approval.await(run, APPROVAL, APPROVAL_PERCENT, timeout, what, nothingChanged, this::record);
    return true;
  }

  private void record() {
    catalog.recordRun(run.snapshot());
  }
}
