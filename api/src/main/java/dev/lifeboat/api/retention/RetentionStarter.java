package dev.lifeboat.api.retention;

import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.workflow.RetentionWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a retention run now under the business key of the current second,
 * {@code retention-now-<yyyyMMdd-HHmmss>} (UTC). A second request in the same second (a double
 * click) names the same run: it gets that run back instead of a second retention.
 */
public final class RetentionStarter {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionStarter.class);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final RunStarter starter;
  private final Clock clock;

  public RetentionStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.starter = new RunStarter(client, taskQueue, runs, clock);
    this.clock = clock;
  }

  /** The run id of a request made now. */
  public String runId() {
    return "retention-now-" + SECOND.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * @param runId from {@link #runId()}
   * @throws LifeboatException TEMPORAL_UNAVAILABLE when the workflow did not start; the run is then recorded as failed
   */
  public RunStarter.Started start(String runId, RetentionRequest request) {
    // the retention workflow names its run after the policy, as scheduled retention runs are
    RunStarter.Started started = starter.startOnce(
        starter.pending(runId, RunKind.RETENTION, request.policy(), request.requester(), request.reason(),
            asMap(request)),
        RetentionWorkflow.class,
        workflow -> WorkflowClient.start(workflow::expire, request));
    if (started.created()) {
      LOG.info("Started retention run {} of {}: {}, at least {} kept{}", runId, request.instances(),
          request.retention(), request.minimumKept(), request.dryRun() ? ", dry run" : "");
    }
    return started;
  }

  /** The keys the retention workflow records, so the pending run reads like the running one. */
  private static Map<String, Object> asMap(RetentionRequest request) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("policy", request.policy());
    map.put("instances", request.instances());
    map.put("retention", request.retention().toString());
    map.put("minimumKept", request.minimumKept());
    map.put("dryRun", request.dryRun());
    return map;
  }
}
