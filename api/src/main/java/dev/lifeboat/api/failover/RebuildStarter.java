package dev.lifeboat.api.failover;

import dev.lifeboat.api.restore.RunIds;
import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.failover.RebuildRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.workflow.RebuildWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a validated rebuild as a pending run and starts its workflow, through {@link RunStarter}. */
public final class RebuildStarter {
  private static final Logger LOG = LoggerFactory.getLogger(RebuildStarter.class);

  private final RunStarter starter;

  public RebuildStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.starter = new RunStarter(client, taskQueue, runs, clock);
  }

  public static String newRunId(String instance) {
    return "rebuild-" + instance + "-" + RunIds.shortId();
  }

  /** @param once answer an existing run of {@code runId} instead of refusing it (a repeated Idempotency-Key) */
  public RunStarter.Started start(String runId, RebuildRequest request, boolean once) {
    Map<String, Object> asMap = new LinkedHashMap<>();
    asMap.put("instance", request.instance());
    asMap.put("newPrimary", request.newPrimary());
    asMap.put("reason", request.reason());
    RunStarter.Started started = starter.start(
        starter.pending(runId, RunKind.REBUILD, request.instance(), request.requester(), request.reason(), asMap),
        RebuildWorkflow.class,
        workflow -> WorkflowClient.start(workflow::rebuild, request),
        once);
    if (started.created()) {
      LOG.warn("Started rebuild {} of former primary {} as a replica of {}", runId, request.instance(),
          request.newPrimary());
    }
    return started;
  }
}
