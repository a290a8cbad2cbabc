package dev.lifeboat.api.restore;

import dev.lifeboat.api.errors.TemporalFailures;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RunError;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a validated restore as a pending run, then starts its workflow with the run id as
 * workflow id. The run is recorded first so that it can be listed (and explained) even when
 * Temporal refuses the start.
 */
public final class RestoreStarter {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreStarter.class);

  private final WorkflowClient client;
  private final String taskQueue;
  private final RunStore runs;
  private final Clock clock;

  public RestoreStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.runs = runs;
    this.clock = clock;
  }

  /**
   * @return the pending run
   * @throws LifeboatException TEMPORAL_UNAVAILABLE when the workflow did not start; the run is then recorded as failed
   */
  public RunState start(String runId, RestoreRequest request) {
    RunState pending = new RunState(runId, RunKind.RESTORE, request.instance(), request.requester(),
        request.reason(), RunPhase.PENDING, null, null, null, null, List.of(), asMap(request), null, null, null,
        now(), null, null);
    runs.save(pending);
    PointInTimeRestoreWorkflow workflow = client.newWorkflowStub(PointInTimeRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(taskQueue).build());
    try {
      WorkflowClient.start(workflow::restore, request);
    } catch (RuntimeException e) {
      String cause = TemporalFailures.summary(e);
      LOG.warn("Workflow of restore run {} did not start: {}", runId, cause, e);
      markFailed(pending, cause);
      throw new LifeboatException(ErrorType.TEMPORAL_UNAVAILABLE,
          "The restore could not be started: Temporal did not accept the workflow (" + cause + "). Run " + runId
              + " is recorded as failed; send the request again in a moment.",
          Map.of("runId", runId), e);
    }
    LOG.info("Started restore run {} of {} to {}", runId, request.instance(), request.targetTime());
    return pending;
  }

  private void markFailed(RunState pending, String cause) {
    try {
      runs.save(new RunState(pending.runId(), pending.kind(), pending.instance(), pending.requester(),
          pending.reason(), RunPhase.FAILED, null, null, null, null, List.of(), pending.request(), null, null,
          new RunError(ErrorType.TEMPORAL_UNAVAILABLE.name(), "the workflow did not start: " + cause),
          pending.startedAt(), now(), null));
    } catch (RuntimeException e) {
      // the caller already gets the start failure; a pending run without workflow is what remains
      LOG.error("Run {} could not be marked failed after its workflow did not start", pending.runId(), e);
    }
  }

  /** The request as JSON-friendly values for the catalog: ISO-8601 text for times and durations. */
  private static Map<String, Object> asMap(RestoreRequest request) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("instance", request.instance());
    map.put("targetTime", request.targetTime().toString());
    map.put("ttl", request.ttl().toString());
    map.put("reason", request.reason());
    if (request.schema() != null) {
      map.put("schema", request.schema());
    }
    return map;
  }

  /** Milliseconds are what JSON clients read back; finer digits would only differ between copies. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
