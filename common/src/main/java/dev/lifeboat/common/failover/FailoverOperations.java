package dev.lifeboat.common.failover;

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
}
