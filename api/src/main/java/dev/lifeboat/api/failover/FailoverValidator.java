package dev.lifeboat.api.failover;

import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.Primaries;
import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.auth.Caller;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.FailoverBody;
import dev.lifeboat.catalog.PageLimits;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.FailoverMode;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.platform.Platform;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a failover request before anything starts: the fields, that the instance is a managed
 * primary and the candidate one of its replicas, and that only an admin declares an emergency.
 * The lag is measured by the run's preflight, where the approver sees it.
 */
public final class FailoverValidator {
  public static final Duration DEFAULT_MAX_DATA_LOSS = Duration.ofSeconds(60);
  public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(1);
  public static final Duration MAX_APPROVAL_TIMEOUT = Duration.ofHours(24);

  private final Platform platform;
  private final RunStore runs;

  public FailoverValidator(Platform platform, RunStore runs) {
    this.platform = platform;
    this.runs = runs;
  }

  public FailoverRequest validate(FailoverBody body, Caller caller) {
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"instance\": \"techcorp-primary\", "
          + "\"mode\": \"promote-replica\", \"replica\": \"techcorp-replica-1\", \"reason\": \"primary is down\"}.");
    }
    String instance = instanceId("instance", RequestText.required("instance", body.instance()));
    String reason = RequestText.reason(body.reason());
    FailoverMode mode = mode(body.mode());
    if (mode != FailoverMode.PROMOTE_REPLICA) {
      throw InvalidRequest.field("mode", "mode restore-in-dr is not available yet; use promote-replica.");
    }
    String replica = instanceId("replica", RequestText.required("replica", body.replica()));
    Duration maxDataLoss = DurationText.positive("maxDataLoss", body.maxDataLoss());
    Duration approvalTimeout = DurationText.positive("approvalTimeout", body.approvalTimeout());
    if (approvalTimeout != null && approvalTimeout.compareTo(MAX_APPROVAL_TIMEOUT) > 0) {
      throw InvalidRequest.field("approvalTimeout", "approvalTimeout is at most " + MAX_APPROVAL_TIMEOUT + ".");
    }
    boolean emergency = Boolean.TRUE.equals(body.emergency());
    if (emergency && !caller.isAdmin()) {
      throw new LifeboatException(ErrorType.FORBIDDEN, "An emergency failover skips the approval: only an admin may "
          + "declare one; " + caller.name() + " has " + caller.rolesText() + ". Leave emergency out and have an "
          + "approver approve the run.", Map.of("field", "emergency", "required", "admin"));
    }

    Primaries.require(platform, "instance", instance, "a failover moves a primary's traffic to one of its replicas",
        "Fail over");
    InstanceInfo candidate = platform.findInstance(replica).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "No managed instance is called '" + replica + "'; GET /v1/instances lists them.",
        Map.of("instance", replica)));
    if (candidate.role() != InstanceRole.REPLICA || !instance.equals(candidate.source())) {
      throw new LifeboatException(ErrorType.NOT_A_REPLICA, replica + " is not a replica of " + instance + " (it is "
          + String.valueOf(candidate.role()).toLowerCase() + (candidate.source() == null ? "" : " of "
          + candidate.source()) + "); name one of " + replicasOf(instance) + ".",
          Map.of("field", "replica", "replicas", replicasOf(instance)));
    }
    refuseSecondFailover(instance);
    String database = body.database() == null ? databaseOf(instance) : body.database().strip();
    if (database.isEmpty() || !database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw InvalidRequest.field("database", "database must be the pooler's database name, e.g. techcorp.");
    }
    return new FailoverRequest(instance, mode, replica, database,
        maxDataLoss == null ? DEFAULT_MAX_DATA_LOSS : maxDataLoss, Boolean.TRUE.equals(body.force()), emergency,
        approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout, reason, caller.name());
  }

  /** Two failovers of one primary could promote two replicas: one at a time. */
  private void refuseSecondFailover(String instance) {
    runs.list(new RunFilter(RunKind.FAILOVER, null, instance), null, PageLimits.MAX).items().stream()
        .filter(run -> !run.phase().terminal())
        .findFirst()
        .ifPresent(run -> {
          throw new LifeboatException(ErrorType.RUN_ALREADY_RUNNING, "Failover " + run.runId() + " of " + instance
              + " is " + run.phase().wireName() + " already (requested by " + run.requester() + "): approve or "
              + "reject it, or wait for it to end, instead of starting a second one.",
              Map.of("runId", run.runId(), "phase", run.phase().wireName()));
        });
  }

  private List<String> replicasOf(String instance) {
    return platform.listInstances().stream()
        .filter(info -> info.role() == InstanceRole.REPLICA && instance.equals(info.source()))
        .map(InstanceInfo::id).toList();
  }

  private String databaseOf(String instance) {
    return platform.findInstance(instance).map(InstanceInfo::endpoint).map(e -> e.database()).orElse(instance);
  }

  private static String instanceId(String field, String text) {
    if (!Ids.validInstanceId(text)) {
      throw InvalidRequest.field(field, field + " '" + text + "' is not an instance id, e.g. techcorp-primary.");
    }
    return text;
  }

  private static FailoverMode mode(String text) {
    if (text == null) {
      return FailoverMode.PROMOTE_REPLICA;
    }
    return Arrays.stream(FailoverMode.values()).filter(mode -> mode.wireName().equals(text.strip())).findFirst()
        .orElseThrow(() -> InvalidRequest.field("mode", "mode '" + text + "' is not one of promote-replica, "
            + "restore-in-dr."));
  }
}
