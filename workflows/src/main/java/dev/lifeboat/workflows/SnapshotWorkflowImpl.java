package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.SnapshotActivities;
import dev.lifeboat.common.model.CopyOutcome;
import dev.lifeboat.common.model.CopyRequest;
import dev.lifeboat.common.model.InstanceSnapshotOutcome;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.model.SnapshotResult;
import dev.lifeboat.common.workflow.CrossRegionCopyWorkflow;
import dev.lifeboat.common.workflow.SnapshotWorkflow;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowSemaphore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class SnapshotWorkflowImpl implements SnapshotWorkflow {
  private final SnapshotActivities snapshots =
      Workflow.newActivityStub(SnapshotActivities.class, ActivityStubs.longRunning(Duration.ofHours(6), 5));
  private final CatalogActivities catalog = ActivityStubs.catalog();

  private RunTracker run;

  @Override
  public SnapshotResult snapshot(SnapshotRequest request) {
    String subject = request.instances().size() == 1 ? request.instances().get(0) : request.policy();
    run = new RunTracker(RunKind.SNAPSHOT, subject, request.requester(), request.reason(),
        RunTracker.map("policy", request.policy(), "instances", request.instances(), "drRegions", request.drRegions(),
            "scheduledFor", request.scheduledFor() == null ? null : request.scheduledFor().toString()));
    Instant stamp = request.scheduledFor() != null ? request.scheduledFor() : run.startedAt();
    run.begin("snapshot", 0, "snapshotting " + request.instances().size() + " instance(s), then copying to "
        + (request.drRegions().isEmpty() ? "no DR region" : String.join(", ", request.drRegions())));
    record();

    WorkflowSemaphore parallel = Workflow.newWorkflowSemaphore(Math.max(1, request.maxParallel()));
    List<Promise<InstanceSnapshotOutcome>> outcomes = new ArrayList<>();
    for (String instance : request.instances()) {
      outcomes.add(Async.function(() -> {
        parallel.acquire();
        try {
          return snapshotOne(instance, SnapshotIds.snapshotId(instance, stamp), request);
        } finally {
          parallel.release();
        }
      }));
    }
    List<InstanceSnapshotOutcome> results = outcomes.stream().map(Promise::get).toList();
    SnapshotResult result = new SnapshotResult(results);

    Map<String, Object> summary = RunTracker.map("snapshots", results.stream()
        .map(o -> RunTracker.map("instance", o.instance(), "snapshotId", o.snapshotId(), "status", o.status(),
            "bytes", o.bytes(), "copies", o.copies().stream()
                .map(c -> RunTracker.map("region", c.region(), "status", c.status())).toList()))
        .toList());
    if (result.allSucceeded()) {
      run.succeeded(summary);
    } else {
      List<String> failed = results.stream().flatMap(o -> failures(o).stream()).toList();
      run.failed(RunPhase.FAILED, ErrorType.PARTIAL_FAILURE.name(), String.join("; ", failed));
    }
    record();
    return result;
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot();
  }

  private InstanceSnapshotOutcome snapshotOne(String instance, String snapshotId, SnapshotRequest request) {
    SnapshotInfo snapshot;
    try {
      snapshot = snapshots.takeSnapshot(instance, snapshotId,
          Map.of("policy", request.policy(), "run", run.runId(), "created-by", String.valueOf(request.requester())),
          run.runId());
    } catch (TemporalFailure e) {
      return new InstanceSnapshotOutcome(instance, snapshotId, "failed", 0, Failures.error(e), List.of());
    }
    if (Workflow.getVersion(ActivityStubs.INVENTORY_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
      catalog.recordSnapshot(snapshot, run.runId());
    }
    List<Promise<CopyOutcome>> copies = new ArrayList<>();
    for (String region : request.drRegions()) {
      CrossRegionCopyWorkflow child = Workflow.newChildWorkflowStub(CrossRegionCopyWorkflow.class,
          ChildWorkflowOptions.newBuilder()
              .setWorkflowId(SnapshotIds.copyWorkflowId(snapshotId, region))
              .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
              .build());
      copies.add(Async.function(child::copy,
          new CopyRequest(instance, snapshotId, snapshot.region(), region, request.requester())));
    }
    List<CopyOutcome> copyOutcomes = new ArrayList<>();
    for (int i = 0; i < copies.size(); i++) {
      try {
        copyOutcomes.add(copies.get(i).get());
      } catch (TemporalFailure e) {
        copyOutcomes.add(new CopyOutcome(request.drRegions().get(i), "failed", 0, Failures.error(e)));
      }
    }
    return new InstanceSnapshotOutcome(instance, snapshotId, "succeeded", snapshot.bytes(), null, copyOutcomes);
  }

  private static List<String> failures(InstanceSnapshotOutcome outcome) {
    List<String> failures = new ArrayList<>();
    if (outcome.error() != null) {
      failures.add(outcome.instance() + ": " + describe(outcome.error()));
    }
    outcome.copies().stream().filter(c -> c.error() != null)
        .forEach(c -> failures.add(outcome.instance() + " copy to " + c.region() + ": " + describe(c.error())));
    return failures;
  }

  private static String describe(RunError error) {
    return error.type() + " " + error.message();
  }

  private void record() {
    catalog.recordRun(run.snapshot());
  }
}
