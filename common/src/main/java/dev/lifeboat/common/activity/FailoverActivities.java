package dev.lifeboat.common.activity;

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
import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;

/**
 * The steps of a failover, each idempotent: a retry after a crash finds what an earlier attempt
 * did and says so. Method names are activity type names: never rename one.
 */
@ActivityInterface
public interface FailoverActivities {
  /** Measures the candidate: lag in bytes and time, what promoting it now would lose. */
  ReplicaState measureReplica(String replica);

  /** The other replicas of {@code primary} (to repoint after the promotion of {@code except}). */
  List<String> replicasOf(String primary, String except);

  /** Where the pooler sends {@code database} now. */
  TrafficRoute route(String database);

  FenceResult fence(String primary);

  PromoteResult promote(String replica);

  RepointResult repoint(String replica, String newPrimary);

  /** Points the pooler's {@code database} at {@code instance}; a route already there is left alone. */
  TrafficRoute switchTraffic(String database, String instance);

  /** Asks, through the pooler, which server answers {@code database}. */
  TrafficCheck checkTraffic(String database);

  /**
   * The primary a former primary is to be rebuilt from: {@code newPrimary}, or when null the one
   * that replaced it. Refuses an instance that is not a former primary replaced by it (a replica of
   * it already is fine: the rebuild then answers {@code already-replica}).
   */
  String rebuildTarget(String instance, String newPrimary);

  /** Keeps the former primary's data directory aside before it is rebuilt; where (null: nothing kept). */
  String preserveFormerPrimary(String instance, String newPrimary);

  /** Turns the former primary into a streaming replica of {@code newPrimary}: pg_rewind, else a base backup. */
  RebuildResult rebuildFormerPrimary(String instance, String newPrimary);

  /** restore-in-dr: the newest copy of {@code instance} in {@code region}, its age, the expected data loss. */
  DrCopyState measureDrCopy(String instance, String region);

  /**
   * restore-in-dr: restores {@code instance} in {@code region} to the newest point restorable there, as the
   * permanent primary {@code newInstance}; a retry answers the instance an earlier attempt restored.
   */
  DrRestoreResult restoreInDr(String instance, String region, String newInstance);

  /**
   * restore-in-dr: creates {@code replica}, a streaming replica of {@code newPrimary} standing in for
   * {@code replaces}; a retry answers the replica an earlier attempt created.
   */
  DrReplicaResult createDrReplica(String replica, String newPrimary, String replaces);

  /**
   * Failover drill: restores {@code instance} in {@code region} to the newest point restorable there
   * into the temporary instance {@code newInstance} owned by the drill {@code ownerRunId}; production is
   * untouched. A retry answers the instance an earlier attempt restored.
   */
  DrRestoreResult rehearseRestoreInDr(String instance, String region, String newInstance, String ownerRunId,
      Instant expiresAt);

  /** Failover drill: {@code replica}, a temporary streaming replica of the drill's temporary {@code newPrimary}. */
  DrReplicaResult createRehearsalReplica(String replica, String newPrimary, String replaces, String ownerRunId,
      Instant expiresAt);

  /** Failover drill: adds the drill's own pooler entry {@code rehearsalDatabase}, a copy of {@code database}. */
  TrafficRoute openRehearsalRoute(String rehearsalDatabase, String database);

  /** Failover drill: removes the drill's pooler entry; false when it was not there. */
  boolean closeRehearsalRoute(String rehearsalDatabase);
}
