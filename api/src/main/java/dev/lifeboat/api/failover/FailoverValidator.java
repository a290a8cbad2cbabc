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
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.platform.Platform;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a failover request before anything starts: the fields, that the instance is a managed
 * primary and the candidate one of its replicas (promote-replica) or the region a DR region and the
 * new names free (restore-in-dr), and that only an admin declares an emergency. The lag, or the DR
 * copy's age and the data loss, is measured by the run's preflight, where the approver sees it.
 */
public final class FailoverValidator {
  public static final Duration DEFAULT_MAX_DATA_LOSS = Duration.ofSeconds(60);
  public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(1);
  public static final Duration MAX_APPROVAL_TIMEOUT = Duration.ofHours(24);

  /** Appended to the instance and its analytics replica for restore-in-dr's new instances. */
  public static final String DR_SUFFIX = "-dr";

  private final Platform platform;
  private final RunStore runs;
  private final Map<String, String> analyticsReplicas;

  public FailoverValidator(Platform platform, RunStore runs) {
    this(platform, runs, Map.of());
  }

  /**
   * @param analyticsReplicas for each primary, its analytics replica (drills.analyticsReplicas,
   *     tableRecovery.compareOn): the one restore-in-dr recreates in the DR region
   */
  public FailoverValidator(Platform platform, RunStore runs, Map<String, String> analyticsReplicas) {
    this.platform = platform;
    this.runs = runs;
    this.analyticsReplicas = Map.copyOf(analyticsReplicas);
  }

  public FailoverRequest validate(FailoverBody body, Caller caller) {
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"instance\": \"techcorp-primary\", "
          + "\"mode\": \"promote-replica\", \"replica\": \"techcorp-replica-1\", \"reason\": \"primary is down\"}.");
    }
    String instance = instanceId("instance", RequestText.required("instance", body.instance()));
    String reason = RequestText.reason(body.reason());
    FailoverMode mode = mode(body.mode());
    String replica = mode == FailoverMode.PROMOTE_REPLICA
        ? instanceId("replica", RequestText.required("replica", body.replica())) : null;
    if (mode == FailoverMode.RESTORE_IN_DR && body.replica() != null) {
      throw InvalidRequest.field("replica", "replica names the replica promote-replica promotes; restore-in-dr "
          + "restores the newest copy in a DR region instead (name it in \"region\") and recreates the analytics "
          + "replica there (\"analyticsReplica\").");
    }
    if (mode == FailoverMode.PROMOTE_REPLICA
        && (body.region() != null || body.newInstance() != null || body.analyticsReplica() != null)) {
      throw InvalidRequest.field(body.region() != null ? "region" : body.newInstance() != null ? "newInstance"
          : "analyticsReplica", "region, newInstance and analyticsReplica belong to mode restore-in-dr; "
          + "promote-replica promotes the replica named in \"replica\".");
    }
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
    if (mode == FailoverMode.RESTORE_IN_DR) {
      return restoreInDr(body, caller, instance, maxDataLoss, emergency, approvalTimeout, reason);
    }
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
    String database = database(body, instance);
    return new FailoverRequest(instance, mode, replica, database,
        maxDataLoss == null ? DEFAULT_MAX_DATA_LOSS : maxDataLoss, Boolean.TRUE.equals(body.force()), emergency,
        approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout, reason, caller.name());
  }

  private FailoverRequest restoreInDr(FailoverBody body, Caller caller, String instance, Duration maxDataLoss,
      boolean emergency, Duration approvalTimeout, String reason) {
    String region = drRegion(body.region());
    boolean copied = platform.listSnapshots(instance, region).stream()
        .anyMatch(s -> "available".equals(s.status()));
    if (!copied) {
      throw new LifeboatException(ErrorType.NO_COPY_IN_REGION, "Region " + region + " holds no available copy of "
          + instance + ", so nothing can be restored there. Copy a snapshot to " + region + " first (POST "
          + "/v1/snapshots with it as a DR target), or use promote-replica.", Map.of("field", "region",
              "region", region));
    }
    String newInstance = newId("newInstance", body.newInstance() == null ? instance + DR_SUFFIX
        : body.newInstance().strip());
    String analytics = analyticsReplica(instance, body.analyticsReplica());
    String newReplica = analytics == null ? null : newId("analyticsReplica", analytics + DR_SUFFIX);
    if (newInstance.equals(newReplica)) {
      throw InvalidRequest.field("newInstance", "newInstance " + newInstance + " is the name of the recreated "
          + "analytics replica; name another.");
    }
    refuseSecondFailover(instance);
    String database = database(body, instance);
    return new FailoverRequest(instance, FailoverMode.RESTORE_IN_DR, null, database,
        maxDataLoss == null ? DEFAULT_MAX_DATA_LOSS : maxDataLoss, Boolean.TRUE.equals(body.force()), emergency,
        approvalTimeout == null ? DEFAULT_APPROVAL_TIMEOUT : approvalTimeout, reason, caller.name(), region,
        newInstance, analytics, newReplica);
  }

  /** A DR region of the platform: every region but the first (home); the first DR region when left out. */
  private String drRegion(String requested) {
    List<String> regions = platform.regions();
    List<String> dr = regions.size() <= 1 ? List.of() : regions.subList(1, regions.size());
    if (requested == null) {
      if (dr.isEmpty()) {
        throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "The platform has no DR region to restore in (its "
            + "regions: " + regions + "); use mode promote-replica.", Map.of("field", "region", "regions", regions));
      }
      return dr.get(0);
    }
    String region = requested.strip();
    if (!dr.contains(region)) {
      throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "region '" + region + "' is "
          + (!regions.isEmpty() && regions.get(0).equals(region) ? "the home region" : "not a region of the platform")
          + "; restore-in-dr restores in a DR region: " + (dr.isEmpty() ? "none" : String.join(", ", dr)) + ".",
          Map.of("field", "region", "drRegions", dr));
    }
    return region;
  }

  /** A new instance's id: valid, and no instance of that name yet. */
  private String newId(String field, String id) {
    instanceId(field, id);
    platform.findInstance(id).ifPresent(existing -> {
      throw InvalidRequest.field(field, "An instance called " + id + " exists already (a "
          + String.valueOf(existing.role()).toLowerCase() + " in " + existing.region() + "): "
          + ("newInstance".equals(field) ? "name another new instance in \"newInstance\"."
              : "name another analytics replica, or delete " + id + "."));
    });
    return id;
  }

  /**
   * The replica recreated in the DR region: the one named, else the configured analytics replica,
   * else the one replica of the instance whose name says analytics; null when there is none.
   */
  public String analyticsReplica(String instance, String requested) {
    List<InstanceInfo> replicas = platform.listInstances().stream()
        .filter(info -> info.role() == InstanceRole.REPLICA && instance.equals(info.source())).toList();
    if (requested != null) {
      String id = instanceId("analyticsReplica", requested.strip());
      if (replicas.stream().noneMatch(info -> info.id().equals(id))) {
        throw InvalidRequest.field("analyticsReplica", id + " is not a replica of " + instance + "; its replicas: "
            + replicas.stream().map(InstanceInfo::id).toList() + ".");
      }
      return id;
    }
    String configured = analyticsReplicas.get(instance);
    if (configured != null && replicas.stream().anyMatch(info -> info.id().equals(configured))) {
      return configured;
    }
    List<String> named = replicas.stream().map(InstanceInfo::id).filter(id -> id.contains("analytics")).toList();
    return named.size() == 1 ? named.get(0) : null;
  }

  private String database(FailoverBody body, String instance) {
    return poolerDatabase(instance, body.database());
  }

  /** The pooler database named, else the instance's own database: a valid name. */
  public String poolerDatabase(String instance, String requested) {
    String database = requested == null ? databaseOf(instance) : requested.strip();
    if (database.isEmpty() || !database.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw InvalidRequest.field("database", "database must be the pooler's database name (lower-case letters, digits,"
          + " underscores), e.g. techcorp.");
    }
    return database;
  }

  /**
   * Two failovers of one primary could promote two replicas: one at a time. A failover drill's run
   * changes nothing in production and never holds a real failover back.
   */
  private void refuseSecondFailover(String instance) {
    activeFailover(instance).ifPresent(run -> {
      throw new LifeboatException(ErrorType.RUN_ALREADY_RUNNING, "Failover " + run.runId() + " of " + instance
          + " is " + run.phase().wireName() + " already (requested by " + run.requester() + "): approve or "
          + "reject it, or wait for it to end, instead of starting a second one.",
          Map.of("runId", run.runId(), "phase", run.phase().wireName()));
    });
  }

  /**
   * A drill while {@code instance} really fails over would compete with the recovery for instances
   * and quotas in the DR region: refused until the failover ends.
   */
  public void refuseDrillDuringFailover(String instance) {
    activeFailover(instance).ifPresent(run -> {
      throw new LifeboatException(ErrorType.RUN_ALREADY_RUNNING, "Failover " + run.runId() + " of " + instance
          + " is " + run.phase().wireName() + ": a drill now would compete with it for instances and quotas in the"
          + " DR region. Drill once it has ended.", Map.of("runId", run.runId(), "phase", run.phase().wireName()));
    });
  }

  /** A real failover of {@code instance} that has not ended; a failover drill's run is none. */
  private Optional<RunState> activeFailover(String instance) {
    return runs.list(new RunFilter(RunKind.FAILOVER, null, instance), null, PageLimits.MAX).items().stream()
        .filter(run -> !run.phase().terminal())
        .filter(run -> run.request() == null || run.request().get("rehearsalOf") == null)
        .findFirst();
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
