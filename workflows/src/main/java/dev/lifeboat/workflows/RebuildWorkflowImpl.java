package dev.lifeboat.workflows;

import static dev.lifeboat.common.workflow.RebuildSteps.PRESERVE;
import static dev.lifeboat.common.workflow.RebuildSteps.PRESERVE_PERCENT;
import static dev.lifeboat.common.workflow.RebuildSteps.REBUILD;
import static dev.lifeboat.common.workflow.RebuildSteps.REBUILD_PERCENT;
import static dev.lifeboat.common.workflow.RebuildSteps.STREAMING;
import static dev.lifeboat.common.workflow.RebuildSteps.STREAMING_PERCENT;
import static dev.lifeboat.common.workflow.RebuildSteps.VALIDATE;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.activity.FailoverActivities;
import dev.lifeboat.common.failover.RebuildRequest;
import dev.lifeboat.common.failover.RebuildResult;
import dev.lifeboat.common.failover.ReplicaState;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.RebuildWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * Rebuild of a former primary as a replica of the primary that replaced it. Every step is an
 * idempotent activity: a worker that dies mid-rebuild resumes with the same preserved copy, and a
 * rebuild found done answers {@code already-replica}. No approval: nothing that still serves is
 * touched (the former primary is fenced), and its data is copied aside before anything changes.
 */
public class RebuildWorkflowImpl implements RebuildWorkflow {
  /** Heartbeats while a step runs; a base backup of a large primary is the longest. */
  private final FailoverActivities steps = Workflow.newActivityStub(FailoverActivities.class,
      ActivityStubs.failoverStep(Duration.ofHours(2), Duration.ofSeconds(30)));

  private final CatalogActivities catalog = ActivityStubs.catalog();

  private RunTracker run;

  @Override
  public Map<String, Object> rebuild(RebuildRequest request) {
    String instance = request.instance();
    run = new RunTracker(RunKind.REBUILD, instance, request.requester(), request.reason(),
        RunTracker.map("instance", instance, "newPrimary", request.newPrimary(), "reason", request.reason()));
    try {
      run.begin(VALIDATE, 0, "checking that " + instance + " is a former primary and which primary replaced it");
      record();
      String newPrimary = steps.rebuildTarget(instance, request.newPrimary());
      run.publish("newPrimary", newPrimary);

      run.begin(PRESERVE, PRESERVE_PERCENT, "keeping the data directory of " + instance + " aside");
      record();
      String preserved = steps.preserveFormerPrimary(instance, newPrimary);
      run.publish("preserved", preserved);

      run.begin(REBUILD, REBUILD_PERCENT, "pg_rewind of " + instance + " from " + newPrimary
          + ", or a fresh base backup of " + newPrimary);
      record();
      RebuildResult rebuilt = steps.rebuildFormerPrimary(instance, newPrimary);
      run.publish("rebuild", rebuilt);

      run.begin(STREAMING, STREAMING_PERCENT, "checking that " + instance + " streams from " + newPrimary);
      record();
      ReplicaState replica = steps.measureReplica(instance);
      if (!replica.inRecovery() || !newPrimary.equals(replica.primary()) || !replica.primaryReachable()) {
        throw ApplicationFailure.newNonRetryableFailure(instance + " was rebuilt (" + rebuilt.how() + ") but is not a"
            + " replica of " + newPrimary + " that reaches it (in recovery: " + replica.inRecovery() + ", primary: "
            + replica.primary() + ", primary reachable: " + replica.primaryReachable() + ").",
            ErrorType.PLATFORM_ERROR.name());
      }
      run.succeeded(RunTracker.map(
          "instance", instance,
          "newPrimary", newPrimary,
          "how", rebuilt.how(),
          "why", rebuilt.why(),
          "preserved", rebuilt.preserved() != null ? rebuilt.preserved() : preserved,
          "streamingSince", rebuilt.streamingSince() == null ? null : rebuilt.streamingSince().toString(),
          "lagBytes", replica.lagBytes()));
      record();
      return run.snapshot().result();
    } catch (TemporalFailure e) {
      if (!run.phase().terminal()) {
        Failures.recordEnd(run, e, catalog);
      }
      throw e;
    }
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot();
  }

  private void record() {
    catalog.recordRun(run.snapshot());
  }
}
