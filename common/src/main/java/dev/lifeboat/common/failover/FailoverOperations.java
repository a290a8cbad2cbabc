package dev.lifeboat.common.failover;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Instant;
import java.util.Map;

/**
 * What a failover does to instances, per platform (local: {@code pg_promote()}, pg_ctl; RDS:
 * PromoteReadReplica, ...). Every method is idempotent: a retry after a crash finds what an
 * earlier attempt did and says so instead of doing it twice.
 */
public interface FailoverOperations {
  /** For a worker whose platform has none: every call fails saying so, before anything changes. */
  FailoverOperations UNAVAILABLE = Unavailable.INSTANCE;

  /**
   * Measures a replica as a candidate.
   *
   * @throws dev.lifeboat.common.LifeboatException INSTANCE_NOT_FOUND; INVALID_REQUEST when it is not a replica
   */
  ReplicaState measure(String replicaId);

  /** Makes the old primary take no more writes: stops it, or at least makes it read-only. */
  FenceResult fence(String primaryId);

  /** Promotes the replica; found promoted already, answers so ({@link PromoteResult#alreadyPromoted()}). */
  PromoteResult promote(String replicaId);

  /** Makes another replica of the old primary follow the new one (or rebuilds it from it). */
  RepointResult repoint(String replicaId, String newPrimaryId);

  /**
   * Turns a former primary, once it is back, into a streaming replica of {@code newPrimaryId}:
   * {@code pg_rewind} where possible, a fresh base backup otherwise. Idempotent.
   *
   * @throws dev.lifeboat.common.LifeboatException INSTANCE_NOT_FOUND; INVALID_REQUEST when
   *     {@code instanceId} is not a former primary replaced by {@code newPrimaryId}
   */
  RebuildResult rebuild(String instanceId, String newPrimaryId);

  /**
   * Keeps the data of a former primary aside before {@link #rebuild} changes it: what it wrote
   * after its replica stopped following exists nowhere else. {@link #rebuild} does it too (once);
   * this lets a run show it as a step of its own. Idempotent: a retry answers the same copy.
   *
   * @return where it was kept; null when the platform keeps nothing aside
   * @throws dev.lifeboat.common.LifeboatException as {@link #rebuild}
   */
  default String preserve(String instanceId, String newPrimaryId) {
    return null;
  }

  /**
   * The newest copy of {@code primaryId} in a DR region and the newest point restorable there, with
   * what restoring it would lose against the primary's newest commit (or now, when it is gone).
   *
   * @throws LifeboatException REGION_NOT_FOUND; NO_COPY_IN_REGION when the region holds no usable copy
   */
  default DrCopyState measureRegion(String primaryId, String region) {
    throw unsupported("restore-in-dr failovers");
  }

  /**
   * Restores {@code primaryId} in {@code region} to {@code target} (null: the newest point restorable
   * there) as a permanent primary {@code newInstanceId}: no TTL, archiving its own WAL in that region,
   * never reaped, recorded as the primary that replaced {@code primaryId}. Idempotent: a retry finds the
   * instance an earlier attempt created and answers it ({@link DrRestoreResult#alreadyRestored()}).
   *
   * @param runId the failover run, recorded on (or tagged onto) the new instance
   */
  default DrRestoreResult restoreInRegion(String primaryId, String region, String newInstanceId, Instant target,
      String runId) {
    throw unsupported("restore-in-dr failovers");
  }

  /**
   * Creates {@code replicaId}, a streaming replica of {@code primaryId} in that primary's region,
   * standing in for {@code replaces} (the old primary's replica). Idempotent.
   */
  default DrReplicaResult createReplica(String replicaId, String primaryId, String replaces) {
    throw unsupported("restore-in-dr failovers");
  }

  /**
   * A failover drill's restore-in-dr: restores {@code primaryId} in {@code region} to the newest
   * point restorable there (as {@link #restoreInRegion} with a null target) into the TEMPORARY,
   * writable instance {@code instanceId}, owned by {@code ownerRunId} and expiring at
   * {@code expiresAt}, deleted like any temporary instance. The source is neither required to be
   * fenced nor retired: nothing in production changes. Idempotent: a retry finds this run's instance
   * and answers it ({@link DrRestoreResult#alreadyRestored()}).
   *
   * @throws LifeboatException REGION_NOT_FOUND, NO_COPY_IN_REGION as {@link #measureRegion}; INVALID_REQUEST when
   *     {@code instanceId} exists and is not this run's temporary instance
   */
  default DrRestoreResult rehearseRestoreInRegion(String primaryId, String region, String instanceId,
      String ownerRunId, Instant expiresAt) {
    throw unsupported("failover drills");
  }

  /**
   * A failover drill's replica: {@code replicaId}, a TEMPORARY streaming replica of the temporary
   * primary {@code primaryId} (in its region), standing in for {@code replaces}, owned by
   * {@code ownerRunId}, expiring at {@code expiresAt}, deleted like any temporary instance.
   * Idempotent: a retry answers the replica an earlier attempt created.
   *
   * @throws LifeboatException INVALID_REQUEST when {@code primaryId} is not a temporary instance of {@code ownerRunId}
   */
  default DrReplicaResult createTemporaryReplica(String replicaId, String primaryId, String replaces,
      String ownerRunId, Instant expiresAt) {
    throw unsupported("failover drills");
  }

  private static LifeboatException unsupported(String what) {
    return new LifeboatException(ErrorType.INVALID_REQUEST, "This platform does not support " + what
        + "; nothing was changed.", Map.of("unsupported", what));
  }
}
