package dev.lifeboat.api.snapshots;

import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.workflow.SnapshotWorkflow;
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
 * Starts an on-demand snapshot under the business key of the current minute,
 * {@code snapshot-<instance>-<yyyyMMdd-HHmm>} (UTC), and pins the request's {@code scheduledFor}
 * to that minute, so the snapshot id is derived from it too. A second request in the same minute
 * therefore names the same run: it gets that run back instead of a second snapshot.
 */
public final class SnapshotStarter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStarter.class);
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

  private final RunStarter starter;
  private final Clock clock;

  public SnapshotStarter(WorkflowClient client, String taskQueue, RunStore runs, Clock clock) {
    this.starter = new RunStarter(client, taskQueue, runs, clock);
    this.clock = clock;
  }

  public static String runId(String instance, Instant minute) {
    return "snapshot-" + instance + "-" + MINUTE.format(minute);
  }

  /** The minute a run id of {@link #runId} was made for: a repeated Idempotency-Key names an earlier minute's run. */
  public static Instant minuteOf(String runId) {
    return MINUTE.parse(runId.substring(runId.length() - "yyyyMMdd-HHmm".length()), Instant::from);
  }

  /** The minute a request made now belongs to, in UTC. */
  public Instant minute() {
    return clock.instant().truncatedTo(ChronoUnit.MINUTES);
  }

  /**
   * @param validated one instance, as {@link SnapshotValidator} returns it
   * @param minute from {@link #minute()}: the run id and the snapshot id are derived from it
   * @throws LifeboatException TEMPORAL_UNAVAILABLE when the workflow did not start; the run is then recorded as failed
   */
  public RunStarter.Started start(SnapshotRequest validated, Instant minute) {
    String instance = validated.instances().get(0);
    String runId = runId(instance, minute);
    SnapshotRequest request = new SnapshotRequest(validated.policy(), validated.instances(), validated.drRegions(),
        validated.requester(), validated.reason(), minute, validated.maxParallel());
    RunStarter.Started started = starter.startOnce(
        starter.pending(runId, RunKind.SNAPSHOT, instance, request.requester(), request.reason(), asMap(request)),
        SnapshotWorkflow.class,
        workflow -> WorkflowClient.start(workflow::snapshot, request));
    if (started.created()) {
      LOG.info("Started snapshot run {} of {}, copies to {}", runId, instance, request.drRegions());
    }
    return started;
  }

  /** The same keys the snapshot workflow records, so the pending run reads like the running one. */
  private static Map<String, Object> asMap(SnapshotRequest request) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("policy", request.policy());
    map.put("instances", request.instances());
    map.put("drRegions", request.drRegions());
    map.put("scheduledFor", request.scheduledFor().toString());
    return map;
  }
}
