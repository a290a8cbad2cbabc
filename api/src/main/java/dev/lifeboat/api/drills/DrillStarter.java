package dev.lifeboat.api.drills;

import dev.lifeboat.api.restore.RunIds;
import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.model.DrillKind;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.workflow.DrDrillWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a validated drill as a pending run and starts its workflow, through {@link RunStarter}. */
public final class DrillStarter {
  private static final Logger LOG = LoggerFactory.getLogger(DrillStarter.class);

  private final RunStarter starter;

  public DrillStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.starter = new RunStarter(client, taskQueue, runs, clock);
  }

  /** A new run id: the business key and a short random part, so two drills of one instance never collide. */
  public static String newRunId(String instance) {
    return "drill-" + instance + "-" + RunIds.shortId();
  }

  /** @param once answer an existing run of {@code runId} instead of refusing it (a repeated Idempotency-Key) */
  public RunStarter.Started start(String runId, DrillRequest request, boolean once) {
    RunStarter.Started started = starter.start(
        starter.pending(runId, RunKind.DRILL, request.instance(), request.requester(), request.reason(),
            asMap(request)),
        DrDrillWorkflow.class,
        workflow -> WorkflowClient.start(workflow::drill, request),
        once);
    if (started.created()) {
      LOG.info("Started {} DR drill {} of {} in {} (suite {})", request.kindOrDefault().wireName(), runId,
          request.instance(), request.region(), request.verification());
    }
    return started;
  }

  private static Map<String, Object> asMap(DrillRequest request) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("instance", request.instance());
    map.put("region", request.region());
    map.put("source", request.source().wireName());
    map.put("verification", request.verification());
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("rto", request.targets().rto().toString());
    targets.put("rpo", request.targets().rpo().toString());
    map.put("targets", targets);
    map.put("reason", request.reason());
    map.put("kind", request.kindOrDefault().wireName());
    if (request.kindOrDefault() == DrillKind.FAILOVER) {
      map.put("database", request.database());
      map.put("analyticsReplica", request.analyticsReplica());
      map.put("maxDataLoss", request.maxDataLoss() == null ? null : request.maxDataLoss().toString());
    }
    return map;
  }
}
