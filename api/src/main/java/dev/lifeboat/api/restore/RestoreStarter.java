package dev.lifeboat.api.restore;

import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a validated restore as a pending run and starts its workflow, through {@link RunStarter}. */
public final class RestoreStarter {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreStarter.class);

  private final RunStarter starter;

  public RestoreStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.starter = new RunStarter(client, taskQueue, runs, clock);
  }

  /**
   * @return the pending run
   * @throws LifeboatException TEMPORAL_UNAVAILABLE when the workflow did not start; the run is then recorded as failed
   */
  public RunState start(String runId, RestoreRequest request) {
    return start(runId, request, false).run();
  }

  /**
   * @param once answer an existing run of {@code runId} instead of refusing it (a repeated Idempotency-Key)
   * @throws LifeboatException TEMPORAL_UNAVAILABLE when the workflow did not start; the run is then recorded as failed
   */
  public RunStarter.Started start(String runId, RestoreRequest request, boolean once) {
    RunStarter.Started started = starter.start(
        starter.pending(runId, RunKind.RESTORE, request.instance(), request.requester(), request.reason(),
            asMap(request)),
        PointInTimeRestoreWorkflow.class,
        workflow -> WorkflowClient.start(workflow::restore, request),
        once);
    if (started.created()) {
      LOG.info("Started restore run {} of {} to {}", runId, request.instance(), request.targetTime());
    }
    return started;
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
}
