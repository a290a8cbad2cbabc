package dev.lifeboat.workflows;

import static dev.lifeboat.common.workflow.FailoverSteps.APPROVAL;
import static dev.lifeboat.common.workflow.FailoverSteps.APPROVAL_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.FENCE;
import static dev.lifeboat.common.workflow.FailoverSteps.FENCE_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.PREFLIGHT;
import static dev.lifeboat.common.workflow.FailoverSteps.PROMOTE;
import static dev.lifeboat.common.workflow.FailoverSteps.PROMOTE_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPOINT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPOINT_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPORT;
import static dev.lifeboat.common.workflow.FailoverSteps.REPORT_PERCENT;
import static dev.lifeboat.common.workflow.FailoverSteps.SWITCH;
import static dev.lifeboat.common.workflow.FailoverSteps.SWITCH_PERCENT;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.FailoverActivities;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.ReplicaState;
import dev.lifeboat.common.failover.RepointResult;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.model.Decision;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.FailoverWorkflow;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Promote-replica failover. Nothing changes before the approval (or an admin's emergency): the
 * preflight only measures. From the fence on, every step is an idempotent activity whose
 * completion is in the workflow's history, so a worker that dies after the promotion resumes at
 * the repoint or the switch and never promotes or switches twice. A failure after the promotion
 * does not undo it (there is no safe undo of a promotion): the run fails naming the step, with
 * what was done in its result.
 */
public class FailoverWorkflowImpl implements FailoverWorkflow {
  static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(1);

  /**
   * Each step heartbeats while it runs: a worker that dies mid-step is noticed in seconds and the
   * (idempotent) step retried on another; a step that hangs is retried, then the run says where it
   * stopped. A repoint that rebuilds a replica is the longest: a base backup.
   */
  private final FailoverActivities steps = Workflow.newActivityStub(FailoverActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setBackoffCoefficient(2)
              .setMaximumInterval(Duration.ofSeconds(10))
              .setMaximumAttempts(5)
              .setDoNotRetry(ActivityStubs.DO_NOT_RETRY)
              .build())
          .build());

  private final CatalogActivities catalog = ActivityStubs.catalog();

  private RunTracker run;
  private final Approval approval = new Approval();

  @Override
  public Map<String, Object> failover(FailoverRequest request) {
    approval.requester(request.requester());
    run = new RunTracker(RunKind.FAILOVER, request.instance(), request.requester(), request.reason(),
        RunTracker.map("instance", request.instance(), "mode", request.mode().wireName(), "replica", request.replica(),
            "database", request.database(), "maxDataLoss", String.valueOf(request.maxDataLoss()),
            "force", request.force(), "emergency", request.emergency(), "reason", request.reason()));
    try {
      if (request.mode() != FailoverMode.PROMOTE_REPLICA) {
        throw ApplicationFailure.newNonRetryableFailure("Failover mode " + request.mode().wireName()
            + " is not built yet; use promote-replica.", ErrorType.INVALID_REQUEST.name());
      }
      run.begin(PREFLIGHT, 0, "measuring " + request.replica() + " and where " + request.database() + " points");
      record();
      ReplicaState candidate = steps.measureReplica(request.replica());
      TrafficRoute before = steps.route(request.database());
      List<String> others = steps.replicasOf(request.instance(), request.replica());
      run.publish("preflight", RunTracker.map("candidate", candidate, "routeBefore", before,
          "replicasToRepoint", others, "expectedDataLoss", text(candidate.expectedDataLoss())));
      refuseForeignRoute(request, before);
      refuseTooMuchLoss(request, candidate);

      Instant approvedAt;
      if (request.emergency()) {
        run.publish("approval", RunTracker.map("emergency", true, "by", request.requester()));
        approvedAt = RunTracker.now();
      } else {
        Duration timeout = request.approvalTimeout() == null ? DEFAULT_APPROVAL_TIMEOUT : request.approvalTimeout();
        approval.await(run, APPROVAL, APPROVAL_PERCENT, timeout, "promote " + request.replica() + " and switch "
            + request.database() + " to it (expected data loss " + text(candidate.expectedDataLoss()) + ")",
            "nothing was fenced, promoted or switched", this::record);
        approvedAt = RunTracker.now();
        // the approval may have taken hours: what was approved must still hold
        candidate = steps.measureReplica(request.replica());
        run.publish("atApproval", RunTracker.map("candidate", candidate,
            "expectedDataLoss", text(candidate.expectedDataLoss())));
        refuseTooMuchLoss(request, candidate);
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
      // a replica shares its primary's system identifier: the port tells the new primary from the old one
      if (check.inRecovery() || !check.systemIdentifier().equals(promoted.systemIdentifier())
          || check.port() != after.port()) {
        throw ApplicationFailure.newNonRetryableFailure("Traffic through the pooler for " + request.database()
            + " does not land on the new primary " + request.replica() + " (in recovery: " + check.inRecovery()
            + ", server port " + check.port() + "); check the pooler's [databases] entry.",
            ErrorType.PLATFORM_ERROR.name());
      }

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

  /** Switching a pooler entry that serves another instance would move that instance's clients. */
  private void refuseForeignRoute(FailoverRequest request, TrafficRoute before) {
    if (before.instance() == null || before.instance().equals(request.instance())
        || before.instance().equals(request.replica()) || request.force()) {
      return;
    }
    throw ApplicationFailure.newNonRetryableFailure("The pooler's database " + request.database() + " points at "
        + before.instance() + ", not at " + request.instance() + ": switching it would move that instance's clients. "
        + "Name the pooler database of " + request.instance() + ", or send \"force\": true. Nothing was changed.",
        ErrorType.INVALID_REQUEST.name());
  }

  private void refuseTooMuchLoss(FailoverRequest request, ReplicaState candidate) {
    if (!candidate.inRecovery()) {
      return;
    }
    Duration loss = candidate.expectedDataLoss();
    if (loss == null || request.maxDataLoss() == null || loss.compareTo(request.maxDataLoss()) <= 0) {
      return;
    }
    String measured = request.replica() + " lags " + candidate.lagBytes() + " bytes and " + text(loss)
        + " behind " + request.instance() + " (last replayed commit " + candidate.lastReplayedCommit()
        + ", primary's newest " + candidate.primaryLastCommit() + ")";
    if (request.force()) {
      run.publish("forced", measured + ", more than maxDataLoss " + text(request.maxDataLoss()));
      return;
    }
    throw ApplicationFailure.newNonRetryableFailure(measured + ": promoting it would lose more than maxDataLoss "
        + text(request.maxDataLoss()) + ". Nothing was changed. Wait for it to catch up, pick another replica, or "
        + "send \"force\": true to accept the loss.", ErrorType.DATA_LOSS_TOO_HIGH.name());
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

  private void record() {
    catalog.recordRun(run.snapshot());
  }
}
