package dev.lifeboat.activities;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.activity.FailoverActivities;
import dev.lifeboat.common.failover.DrCopyState;
import dev.lifeboat.common.failover.DrReplicaResult;
import dev.lifeboat.common.failover.DrRestoreResult;
import dev.lifeboat.common.failover.FailoverOperations;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.RebuildResult;
import dev.lifeboat.common.failover.RebuildTarget;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.failover.ReplicaState;
import dev.lifeboat.common.failover.RepointResult;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.failover.TrafficRouter;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.platform.Platform;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The failover's steps on a platform's {@link FailoverOperations} and the pooler's {@link TrafficRouter}. */
public final class FailoverActivitiesImpl implements FailoverActivities {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverActivitiesImpl.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private final Platform platform;
  private final FailoverOperations operations;
  private final TrafficRouter router;

  public FailoverActivitiesImpl(Platform platform, FailoverOperations operations, TrafficRouter router) {
    this.platform = platform;
    this.operations = operations;
    this.router = router;
  }

  @Override
  public ReplicaState measureReplica(String replica) {
    return Failures.typed(() -> operations.measure(replica));
  }

  @Override
  public List<String> replicasOf(String primary, String except) {
    return Failures.typed(() -> platform.listInstances().stream()
        .filter(info -> info.role() == InstanceRole.REPLICA && primary.equals(info.source()))
        .map(InstanceInfo::id)
        .filter(id -> !id.equals(except))
        .sorted()
        .toList());
  }

  @Override
  public TrafficRoute route(String database) {
    return Failures.typed(() -> {
      router.requireSwitchable();
      return existingRoute(database);
    });
  }

  private TrafficRoute existingRoute(String database) {
    List<TrafficRoute> routes = router.routes();
    return routes.stream().filter(route -> route.database().equals(database)).findFirst()
        .orElseThrow(() -> new LifeboatException(ErrorType.INVALID_REQUEST, "The pooler has no database " + database
            + "; its databases: " + routes.stream().map(TrafficRoute::database).toList() + ".",
            Map.of("database", database)));
  }

  @Override
  public FenceResult fence(String primary) {
    FenceResult result = alive("fencing " + primary, () -> operations.fence(primary));
    LOG.warn("Fenced {}: {} (last LSN {}, last commit {})", primary, result.how(), result.lastLsn(),
        result.lastCommit());
    return result;
  }

  @Override
  public PromoteResult promote(String replica) {
    PromoteResult result = alive("promoting " + replica, () -> operations.promote(replica));
    LOG.warn("{} {} (timeline {})", replica, result.alreadyPromoted() ? "was promoted already" : "promoted",
        result.timeline());
    return result;
  }

  @Override
  public RepointResult repoint(String replica, String newPrimary) {
    return alive("pointing " + replica + " at " + newPrimary, () -> operations.repoint(replica, newPrimary));
  }

  @Override
  public TrafficRoute switchTraffic(String database, String instance) {
    if (Rehearsal.isRehearsalDatabase(database)) {
      // a drill's entry is opened by the drill, never by a switch: one its teardown removed stays removed
      Failures.typed(() -> existingRoute(database));
    }
    InstanceInfo target = Failures.typed(() -> platform.findInstance(instance).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "No managed instance is called '" + instance + "'.",
        Map.of("instance", instance))));
    TrafficRoute route = alive("switching " + database + " to " + instance,
        () -> router.switchTo(database, target.endpoint()));
    LOG.warn("Pooler database {} now points at {} ({}:{})", database, instance, route.host(), route.port());
    return route;
  }

  /**
   * Runs a step that may take a while (a stop, a promotion, a base backup) with heartbeats, so a
   * worker that dies during it is noticed within the heartbeat timeout and the step retried
   * elsewhere (it is idempotent), instead of after its whole start-to-close timeout.
   */
  private static <T> T alive(String what, Supplier<T> step) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    try (KeepAlive keepAlive = new KeepAlive((detail, percent, bytes) -> context.heartbeat(detail), HEARTBEAT)) {
      keepAlive.progress(what, null, null);
      return Failures.typed(step);
    }
  }

  @Override
  public TrafficCheck checkTraffic(String database) {
    return Failures.typed(() -> router.check(database));
  }

  @Override
  public String rebuildTarget(String instance, String newPrimary) {
    return Failures.typed(() -> RebuildTarget.resolve(platform, instance, newPrimary));
  }

  @Override
  public String preserveFormerPrimary(String instance, String newPrimary) {
    String preserved = alive("keeping the data of " + instance + " aside",
        () -> operations.preserve(instance, newPrimary));
    LOG.warn("Data directory of former primary {} kept at {}", instance, preserved);
    return preserved;
  }

  @Override
  public RebuildResult rebuildFormerPrimary(String instance, String newPrimary) {
    RebuildResult result = alive("rebuilding " + instance + " as a replica of " + newPrimary,
        () -> operations.rebuild(instance, newPrimary));
    LOG.warn("{} is a streaming replica of {}: {}{}", instance, newPrimary, result.how(),
        result.why() == null ? "" : " (" + result.why() + ")");
    return result;
  }

  @Override
  public DrCopyState measureDrCopy(String instance, String region) {
    return Failures.typed(() -> operations.measureRegion(instance, region));
  }

  @Override
  public DrRestoreResult restoreInDr(String instance, String region, String newInstance) {
    String runId = Activity.getExecutionContext().getInfo().getWorkflowId();
    DrRestoreResult result = alive("restoring " + instance + " in " + region + " as " + newInstance,
        () -> operations.restoreInRegion(instance, region, newInstance, null, runId));
    LOG.warn("{} {} in {} as the primary replacing {} (to {}, from {})", newInstance,
        result.alreadyRestored() ? "was restored already" : "restored", region, instance, result.restoredTo(),
        result.snapshotId());
    return result;
  }

  @Override
  public DrReplicaResult createDrReplica(String replica, String newPrimary, String replaces) {
    DrReplicaResult result = alive("creating " + replica + ", a replica of " + newPrimary,
        () -> operations.createReplica(replica, newPrimary, replaces));
    LOG.warn("{} streams from {} in place of {} ({})", replica, newPrimary, replaces, result.how());
    return result;
  }

  @Override
  public DrRestoreResult rehearseRestoreInDr(String instance, String region, String newInstance, String ownerRunId,
      Instant expiresAt) {
    DrRestoreResult result = alive("restoring " + instance + " in " + region + " as the drill's temporary "
        + newInstance, () -> operations.rehearseRestoreInRegion(instance, region, newInstance, ownerRunId, expiresAt));
    LOG.warn("{} {} in {} for drill {}, a temporary copy of {} (to {}, from {})", newInstance,
        result.alreadyRestored() ? "was restored already" : "restored", region, ownerRunId, instance,
        result.restoredTo(), result.snapshotId());
    return result;
  }

  @Override
  public DrReplicaResult createRehearsalReplica(String replica, String newPrimary, String replaces, String ownerRunId,
      Instant expiresAt) {
    DrReplicaResult result = alive("creating " + replica + ", the drill's temporary replica of " + newPrimary,
        () -> operations.createTemporaryReplica(replica, newPrimary, replaces, ownerRunId, expiresAt));
    LOG.warn("{} streams from {} in place of {} for drill {} ({})", replica, newPrimary, replaces, ownerRunId,
        result.how());
    return result;
  }

  @Override
  public TrafficRoute openRehearsalRoute(String rehearsalDatabase, String database) {
    return Failures.typed(() -> router.addRehearsalRoute(rehearsalDatabase, database));
  }

  @Override
  public boolean closeRehearsalRoute(String rehearsalDatabase) {
    return Failures.typed(() -> router.removeRehearsalRoute(rehearsalDatabase));
  }
}
