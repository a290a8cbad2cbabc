package dev.lifeboat.workflows;

import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.SnapshotActivities;
import dev.lifeboat.common.model.CopyOutcome;
import dev.lifeboat.common.model.CopyRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.workflow.CrossRegionCopyWorkflow;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class CrossRegionCopyWorkflowImpl implements CrossRegionCopyWorkflow {
  private final SnapshotActivities copier =
      Workflow.newActivityStub(SnapshotActivities.class, ActivityStubs.longRunning(Duration.ofHours(12), 10));
  private final CatalogActivities catalog = ActivityStubs.catalog();

  @Override
  public CopyOutcome copy(CopyRequest request) {
    RunTracker run = new RunTracker(RunKind.COPY, request.instance(), request.requester(), null,
        RunTracker.map("instance", request.instance(), "snapshotId", request.snapshotId(),
            "sourceRegion", request.sourceRegion(), "targetRegion", request.targetRegion()));
    run.begin("copy", 0, "copying " + request.snapshotId() + " from " + request.sourceRegion() + " to "
        + request.targetRegion() + " and verifying it");
    catalog.recordRun(run.snapshot());
    CopyOutcome outcome;
    try {
      SnapshotInfo copy = copier.copySnapshotToRegion(request.sourceRegion(), request.snapshotId(),
          request.targetRegion(), run.runId());
      outcome = new CopyOutcome(request.targetRegion(), "succeeded", copy.bytes(), null);
      if (Workflow.getVersion(ActivityStubs.INVENTORY_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
        catalog.recordSnapshot(copy, run.runId());
      }
      run.succeeded(RunTracker.map("snapshotId", copy.id(), "region", copy.region(), "bytes", copy.bytes()));
    } catch (TemporalFailure e) {
      outcome = new CopyOutcome(request.targetRegion(), "failed", 0, Failures.error(e));
      run.failed(RunPhase.FAILED, outcome.error().type(), outcome.error().message());
    }
    catalog.recordRun(run.snapshot());
    return outcome;
  }
}
