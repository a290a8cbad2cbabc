package dev.lifeboat.workflows;

import static dev.lifeboat.common.workflow.RestoreSteps.HOLD;
import static dev.lifeboat.common.workflow.RestoreSteps.RESTORE;
import static dev.lifeboat.common.workflow.RestoreSteps.RESTORE_FROM_PERCENT;
import static dev.lifeboat.common.workflow.RestoreSteps.RESTORE_TO_PERCENT;
import static dev.lifeboat.common.workflow.RestoreSteps.TEARDOWN;
import static dev.lifeboat.common.workflow.RestoreSteps.VALIDATE;
import static dev.lifeboat.common.workflow.RestoreSteps.VERIFY;
import static dev.lifeboat.common.workflow.RestoreSteps.VERIFY_PERCENT;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.PlatformActivities;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.ReleaseRequest;
import dev.lifeboat.common.model.RestorePlan;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RestoreSpec;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.VerifyResult;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

public class PointInTimeRestoreWorkflowImpl implements PointInTimeRestoreWorkflow {
  /** Used when a request carries no TTL; the API applies the same default and the maximum. */
  static final Duration DEFAULT_TTL = Duration.ofHours(4);

  private static final Logger log = Workflow.getLogger(PointInTimeRestoreWorkflowImpl.class);

  private final PlatformActivities platform =
      Workflow.newActivityStub(PlatformActivities.class, ActivityStubs.quick());

  /**
   * Laying down a snapshot and replaying WAL can take hours on a big instance: the heartbeat
   * timeout, not the start-to-close one, notices a dead worker. Cancellation waits for the
   * activity to stop, so the teardown never races a restore still writing the instance.
   */
  private final PlatformActivities restorer = Workflow.newActivityStub(PlatformActivities.class,
      ActivityStubs.longRunningUntilStopped(Duration.ofHours(12), 5));

  private final CatalogActivities catalog = ActivityStubs.catalog();

  private RunTracker run;
  private ReleaseRequest release;

  @Override
  public RestoreResult restore(RestoreRequest request) {
    Duration ttl = request.ttl() == null ? DEFAULT_TTL : request.ttl();
    run = new RunTracker(RunKind.RESTORE, request.instance(), request.requester(), request.reason(),
        RunTracker.map("instance", request.instance(), "targetTime", String.valueOf(request.targetTime()),
            "ttl", ttl.toString(), "reason", request.reason(), "schema", request.schema()));
    Instant expiresAt = run.startedAt().plus(ttl);
    String tempId = Ids.PITR_INSTANCE_PREFIX + Workflow.randomUUID().toString().substring(0, 8);

    run.begin(VALIDATE, 0, "checking " + request.targetTime() + " against the restorable window");
    record();
    RestorePlan plan;
    try {
      plan = platform.planRestore(request.instance(), request.targetTime());
    } catch (TemporalFailure e) {
      fail(e); // nothing was created yet
      throw e;
    }

    try {
      run.begin(RESTORE, RESTORE_FROM_PERCENT, "restoring snapshot " + plan.snapshotId() + " into " + tempId
          + " and replaying WAL to " + plan.targetTime());
      record();
      InstanceInfo instance = restorer.restoreToPointInTime(new RestoreSpec(tempId, request.instance(),
          plan.targetTime(), plan.snapshotId(), run.runId(), request.requester(), expiresAt, plan.region()));

      run.begin(VERIFY, RESTORE_TO_PERCENT, "connecting and counting rows (big tables: the planner's estimate)");
      record();
      VerifyResult verification = platform.verifyInstance(tempId, request.schema());
      // seen while the instance is held, not only once it is gone
      run.publish("rowCounts", verification.rowCounts());
      if (!verification.estimatedRowCounts().isEmpty()) {
        run.publish("estimatedRowCounts", verification.estimatedRowCounts());
      }

      String endedBy = "released";
      if (release == null) {
        run.ready(instance.endpoint(), expiresAt);
        run.begin(HOLD, VERIFY_PERCENT, "ready at " + instance.endpoint().uri() + " until released or " + expiresAt);
        record();
        Duration left = Duration.between(RunTracker.now(), expiresAt);
        boolean released = Workflow.await(left.isNegative() ? Duration.ZERO : left, () -> release != null);
        endedBy = released ? "released" : "ttl";
      }
      log.info("restore {} ends by {}", run.runId(), endedBy);

      run.begin(TEARDOWN, 95, "deleting " + tempId + " (" + endedBy + ")");
      run.endpointGone();
      record();
      platform.deleteTemporaryInstance(tempId);

      RestoreResult result = new RestoreResult(tempId, instance.endpoint(), plan.targetTime(), plan.snapshotId(),
          verification, endedBy, release == null ? null : release.by());
      run.succeeded(RunTracker.map("temporaryInstance", tempId, "restoredTo", plan.targetTime().toString(),
          "snapshotId", plan.snapshotId(), "rowCounts", verification.rowCounts(), "endedBy", endedBy,
          "releasedBy", result.releasedBy()));
      record();
      return result;
    } catch (TemporalFailure e) {
      TemporaryInstances.teardownAfterFailure(run, platform, TEARDOWN, tempId);
      fail(e);
      throw e;
    }
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot();
  }

  @Override
  public RunState release(ReleaseRequest request) {
    release = request;
    run.detail("released by " + request.by() + "; tearing down");
    return run.snapshot();
  }

  @Override
  public void validateRelease(ReleaseRequest request) {
    if (run == null || run.phase().terminal()) {
      throw Failures.rejection(ErrorType.RUN_ALREADY_FINISHED, "the run has already finished");
    }
    if (release != null) {
      throw Failures.rejection(ErrorType.RUN_ALREADY_FINISHED, "already released by " + release.by());
    }
  }

  private void fail(TemporalFailure failure) {
    Failures.recordEnd(run, failure, catalog);
  }

  private void record() {
    catalog.recordRun(run.snapshot());
  }
}
