package dev.lifeboat.api.failover;

import dev.lifeboat.api.restore.RunIds;
import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.workflow.FailoverWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a validated failover as a pending run and starts its workflow, through {@link RunStarter}. */
public final class FailoverStarter {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverStarter.class);

  private final RunStarter starter;

  public FailoverStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.starter = new RunStarter(client, taskQueue, runs, clock);
  }

  public static String newRunId(String instance) {
    return "failover-" + instance + "-" + RunIds.shortId();
  }

  /** @param once answer an existing run of {@code runId} instead of refusing it (a repeated Idempotency-Key) */
  public RunStarter.Started start(String runId, FailoverRequest request, boolean once) {
    RunStarter.Started started = starter.start(
        starter.pending(runId, RunKind.FAILOVER, request.instance(), request.requester(), request.reason(),
            asMap(request)),
        FailoverWorkflow.class,
        workflow -> WorkflowClient.start(workflow::failover, request),
        once);
    if (started.created()) {
      LOG.warn("Started failover {} of {} to {} (database {}, {})", runId, request.instance(), request.newPrimary(),
          request.database(), request.emergency() ? "EMERGENCY: no approval, declared by " + request.requester()
              : "waiting for an approver other than " + request.requester());
    }
    return started;
  }

  private static Map<String, Object> asMap(FailoverRequest request) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("instance", request.instance());
    map.put("mode", request.mode().wireName());
    map.put("replica", request.replica());
    map.put("database", request.database());
    map.put("maxDataLoss", request.maxDataLoss().toString());
    map.put("force", request.force());
    map.put("emergency", request.emergency());
    map.put("approvalTimeout", request.approvalTimeout().toString());
    map.put("reason", request.reason());
    if (request.mode() == FailoverMode.RESTORE_IN_DR) {
      map.put("region", request.region());
      map.put("newInstance", request.newInstance());
      map.put("analyticsReplica", request.analyticsReplica());
      map.put("newReplica", request.newReplica());
    }
    return map;
  }
}
