package dev.lifeboat.workflows;

import dev.lifeboat.common.activity.FailoverActivities;
import dev.lifeboat.common.failover.DrCopyState;
import dev.lifeboat.common.failover.DrReplicaResult;
import dev.lifeboat.common.failover.DrRestoreResult;
import dev.lifeboat.common.failover.FenceResult;
import dev.lifeboat.common.failover.PromoteResult;
import dev.lifeboat.common.failover.RebuildResult;
import dev.lifeboat.common.failover.ReplicaState;
import dev.lifeboat.common.failover.RepointResult;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fleet of a primary, the candidate replica and one more replica, behind a pooler; every call is
 * recorded, so tests see what changed (nothing before approval) and what was done twice (nothing).
 */
final class FakeFailoverActivities implements FailoverActivities {
  static final Instant PRIMARY_LAST_COMMIT = Instant.parse("2026-11-30T10:00:05Z");
  static final Instant REPLAYED = Instant.parse("2026-11-30T10:00:02Z");
  static final String SYSTEM_ID = "7442120391123456789";

  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile Duration lag = Duration.ofSeconds(3);
  volatile long lagBytes = 81_920;
  volatile boolean promoted;
  /** The primary does not answer the measurement: the loss is unknown, bounded by the last replayed commit. */
  volatile boolean primaryGone;
  volatile int routedPort = 5432;
  volatile boolean switchLandsOnReplica = true;
  /** The timeline the server answering through the pooler writes on; null: not reported. */
  volatile Long routedTimeline;

  @Override
  public ReplicaState measureReplica(String replica) {
    calls.add("measure " + replica);
    if (rebuilt && replica.equals("techcorp-primary")) {
      return new ReplicaState(replica, replacedBy, true, true, "0/5000000", "0/5000000", 0L, PRIMARY_LAST_COMMIT,
          PRIMARY_LAST_COMMIT, Duration.ZERO, Instant.parse("2026-11-30T10:00:13Z"));
    }
    if (primaryGone) {
      return new ReplicaState(replica, "techcorp-primary", false, !promoted, "0/3000000", null, null,
          PRIMARY_LAST_COMMIT.minus(lag), null, null, Instant.parse("2026-11-30T10:00:06Z"));
    }
    return new ReplicaState(replica, "techcorp-primary", true, !promoted, "0/3000000", "0/3014000", lagBytes,
        PRIMARY_LAST_COMMIT.minus(lag), PRIMARY_LAST_COMMIT, lag, Instant.parse("2026-11-30T10:00:06Z"));
  }

  @Override
  public List<String> replicasOf(String primary, String except) {
    calls.add("replicas " + primary);
    return List.of("techcorp-analytics");
  }

  @Override
  public TrafficRoute route(String database) {
    calls.add("route " + database);
    return new TrafficRoute(database, "127.0.0.1", routedPort, routedPort == 5432 ? "techcorp-primary" : "?");
  }

  @Override
  public FenceResult fence(String primary) {
    calls.add("fence " + primary);
    return new FenceResult(primary, "stopped", "0/3014100", PRIMARY_LAST_COMMIT, Instant.parse("2026-11-30T10:00:07Z"));
  }

  @Override
  public PromoteResult promote(String replica) {
    calls.add("promote " + replica);
    boolean already = promoted;
    promoted = true;
    return new PromoteResult(replica, already, 2, SYSTEM_ID, PRIMARY_LAST_COMMIT, Instant.parse("2026-11-30T10:00:08Z"));
  }

  @Override
  public RepointResult repoint(String replica, String newPrimary) {
    calls.add("repoint " + replica + " " + newPrimary);
    return new RepointResult(replica, newPrimary, "followed");
  }

  @Override
  public TrafficRoute switchTraffic(String database, String instance) {
    calls.add("switch " + database + " " + instance);
    routedPort = routedPortAfterSwitch;
    return new TrafficRoute(database, "127.0.0.1", routedPort, instance);
  }

  @Override
  public TrafficCheck checkTraffic(String database) {
    calls.add("check " + database);
    return new TrafficCheck(database, !switchLandsOnReplica, routedTimeline == null ? SYSTEM_ID : null, routedPort,
        routedTimeline);
  }

  /** What {@link #rebuildFormerPrimary} answers: {@code rewound} once, then {@code already-replica}. */
  volatile boolean rebuilt;
  /** The instance a former primary was replaced by, for {@link #rebuildTarget}; null: it is no former primary. */
  volatile String replacedBy = "techcorp-replica-1";

  @Override
  public String rebuildTarget(String instance, String newPrimary) {
    calls.add("rebuildTarget " + instance);
    if (replacedBy == null || newPrimary != null && !newPrimary.equals(replacedBy)) {
      throw ApplicationFailure.newNonRetryableFailure(instance + " is a replica, not a former"
          + " primary", "INVALID_REQUEST");
    }
    return replacedBy;
  }

  @Override
  public String preserveFormerPrimary(String instance, String newPrimary) {
    calls.add("preserve " + instance);
    return "/data/preserved/" + instance + "-20261130T100010Z";
  }

  @Override
  public RebuildResult rebuildFormerPrimary(String instance, String newPrimary) {
    calls.add("rebuild " + instance + " " + newPrimary);
    String how = rebuilt ? "already-replica" : "rewound";
    rebuilt = true;
    return new RebuildResult(instance, newPrimary, how, null, Instant.parse("2026-11-30T10:00:12Z"),
        "/data/preserved/" + instance + "-20261130T100010Z");
  }

  /** restore-in-dr: the newest point restorable in the DR region, this far behind the primary's last commit. */
  volatile Duration drBehind = Duration.ofSeconds(20);
  volatile boolean drRestored;

  @Override
  public DrCopyState measureDrCopy(String instance, String region) {
    calls.add("measureDr " + instance + " " + region);
    return DrCopyState.of(instance, region, "lb-" + instance + "-20261130-0300", Instant.parse("2026-11-30T03:00:40Z"),
        PRIMARY_LAST_COMMIT.minus(drBehind), PRIMARY_LAST_COMMIT, true, Instant.parse("2026-11-30T10:00:06Z"));
  }

  @Override
  public DrRestoreResult restoreInDr(String instance, String region, String newInstance) {
    calls.add("restoreDr " + instance + " " + region + " " + newInstance);
    boolean already = drRestored;
    drRestored = true;
    routedPortAfterSwitch = 6543;
    return new DrRestoreResult(newInstance, instance, region, already, "lb-" + instance + "-20261130-0300",
        PRIMARY_LAST_COMMIT.minus(drBehind), 2, SYSTEM_ID, Instant.parse("2026-11-30T10:00:09Z"));
  }

  @Override
  public DrReplicaResult createDrReplica(String replica, String newPrimary, String replaces) {
    calls.add("createReplica " + replica + " " + newPrimary);
    return new DrReplicaResult(replica, newPrimary, replaces, "created", Instant.parse("2026-11-30T10:00:10Z"));
  }

  volatile int routedPortAfterSwitch = 5433;

  @Override
  public DrRestoreResult rehearseRestoreInDr(String instance, String region, String newInstance, String ownerRunId,
      Instant expiresAt) {
    calls.add("rehearseRestoreDr " + instance + " " + region + " " + newInstance + " " + ownerRunId);
    routedPortAfterSwitch = 6543;
    return new DrRestoreResult(newInstance, instance, region, false, "lb-" + instance + "-20261130-0300",
        PRIMARY_LAST_COMMIT.minus(drBehind), 2, SYSTEM_ID, Instant.parse("2026-11-30T10:00:09Z"));
  }

  @Override
  public DrReplicaResult createRehearsalReplica(String replica, String newPrimary, String replaces, String ownerRunId,
      Instant expiresAt) {
    calls.add("rehearsalReplica " + replica + " " + newPrimary + " " + ownerRunId);
    return new DrReplicaResult(replica, newPrimary, replaces, "created", Instant.parse("2026-11-30T10:00:10Z"));
  }

  /** The pooler entries failover drills opened and not yet closed. */
  final List<String> rehearsalRoutes = new CopyOnWriteArrayList<>();

  @Override
  public TrafficRoute openRehearsalRoute(String rehearsalDatabase, String database) {
    calls.add("openRoute " + rehearsalDatabase + " " + database);
    rehearsalRoutes.add(rehearsalDatabase);
    return new TrafficRoute(rehearsalDatabase, "127.0.0.1", 5432, "techcorp-primary");
  }

  @Override
  public boolean closeRehearsalRoute(String rehearsalDatabase) {
    calls.add("closeRoute " + rehearsalDatabase);
    return rehearsalRoutes.remove(rehearsalDatabase);
  }

  /** The calls that change something. */
  List<String> changes() {
    return calls.stream().filter(call -> call.startsWith("fence") || call.startsWith("promote")
        || call.startsWith("repoint") || call.startsWith("switch") || call.startsWith("preserve")
        || call.startsWith("rebuild ") || call.startsWith("restoreDr") || call.startsWith("createReplica")).toList();
  }
}
