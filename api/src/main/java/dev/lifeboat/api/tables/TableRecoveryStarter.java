package dev.lifeboat.api.tables;

import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.TableRecoveryRequest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.workflow.TableRecoveryWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a validated table recovery as a pending run and starts its workflow. */
public final class TableRecoveryStarter {
  private static final Logger LOG = LoggerFactory.getLogger(TableRecoveryStarter.class);

  private final RunStarter starter;

  public TableRecoveryStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.starter = new RunStarter(client, taskQueue, runs, clock);
  }

  /** @param once answer an existing run of {@code runId} instead of refusing it (a repeated Idempotency-Key) */
  public RunStarter.Started start(String runId, TableRecoveryRequest request, boolean once) {
    RunStarter.Started started = starter.start(
        starter.pending(runId, RunKind.TABLE_RECOVERY, request.instance(), request.requester(), request.reason(),
            asMap(request)),
        TableRecoveryWorkflow.class,
        workflow -> WorkflowClient.start(workflow::recover, request),
        once);
    if (started.created()) {
      LOG.info("Started table recovery run {} of {} on {} to {}", runId, request.tables(), request.instance(),
          request.targetTime());
    }
    return started;
  }

  private static Map<String, Object> asMap(TableRecoveryRequest request) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("instance", request.instance());
    map.put("targetTime", request.targetTime().toString());
    map.put("tables", request.tables().stream().map(TableRef::display).toList());
    map.put("mode", request.mode().wireName());
    map.put("requireApproval", request.requireApproval());
    map.put("allowSchemaDrift", request.allowSchemaDrift().wireName());
    map.put("compareOn", request.compareOn());
    map.put("approvalTimeout", request.approvalTimeout().toString());
    map.put("reason", request.reason());
    return map;
  }
}
