package dev.lifeboat.common.failover;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Endpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Failover operations and a pooler that are not configured: every call says so. */
final class Unavailable implements FailoverOperations, TrafficRouter {
  static final Unavailable INSTANCE = new Unavailable();

  private Unavailable() {}

  private static LifeboatException missing(String what) {
    return new LifeboatException(ErrorType.CONFIGURATION_ERROR, "This worker has no " + what + " configured, so"
        + " it cannot fail over or run a failover drill; nothing was changed.", Map.of());
  }

  @Override
  public ReplicaState measure(String replicaId) {
    throw missing("failover operations for its platform");
  }

  @Override
  public FenceResult fence(String primaryId) {
    throw missing("failover operations for its platform");
  }

  @Override
  public PromoteResult promote(String replicaId) {
    throw missing("failover operations for its platform");
  }

  @Override
  public RepointResult repoint(String replicaId, String newPrimaryId) {
    throw missing("failover operations for its platform");
  }

  @Override
  public RebuildResult rebuild(String instanceId, String newPrimaryId) {
    throw missing("failover operations for its platform");
  }

  @Override
  public String preserve(String instanceId, String newPrimaryId) {
    throw missing("failover operations for its platform");
  }

  @Override
  public DrCopyState measureRegion(String primaryId, String region) {
    throw missing("failover operations for its platform");
  }

  @Override
  public DrRestoreResult restoreInRegion(String primaryId, String region, String newInstanceId, Instant target,
      String runId) {
    throw missing("failover operations for its platform");
  }

  @Override
  public DrReplicaResult createReplica(String replicaId, String primaryId, String replaces) {
    throw missing("failover operations for its platform");
  }

  @Override
  public DrRestoreResult rehearseRestoreInRegion(String primaryId, String region, String instanceId,
      String ownerRunId, Instant expiresAt) {
    throw missing("failover operations for its platform");
  }

  @Override
  public DrReplicaResult createTemporaryReplica(String replicaId, String primaryId, String replaces,
      String ownerRunId, Instant expiresAt) {
    throw missing("failover operations for its platform");
  }

  @Override
  public List<TrafficRoute> routes() {
    throw missing("connection pooler (PgBouncer)");
  }

  @Override
  public void requireSwitchable() {
    throw missing("connection pooler (PgBouncer)");
  }

  @Override
  public TrafficRoute switchTo(String database, Endpoint target) {
    throw missing("connection pooler (PgBouncer)");
  }

  @Override
  public TrafficCheck check(String database) {
    throw missing("connection pooler (PgBouncer)");
  }

  @Override
  public Endpoint endpoint(String database) {
    throw missing("connection pooler (PgBouncer)");
  }

  @Override
  public TrafficRoute addRehearsalRoute(String database, String like) {
    throw missing("connection pooler (PgBouncer)");
  }

  @Override
  public boolean removeRehearsalRoute(String database) {
    throw missing("connection pooler (PgBouncer)");
  }
}
