package dev.lifeboat.common.model;

import java.time.Duration;

/**
 * Input of {@link dev.lifeboat.common.workflow.DrDrillWorkflow}.
 *
 * @param region the DR region to restore in
 * @param source {@code latest-copy} when null
 * @param verification the name of the verification suite; the configured default when null
 * @param targets RTO and RPO targets; the configured defaults for those that are null
 * @param kind {@code restore} when null; {@code failover} runs the restore-in-dr failover on copies
 * @param database failover drills: the pooler database of {@code instance} whose entry the drill copies
 * @param analyticsReplica failover drills: the replica the failover recreates in the region; null: none
 * @param maxDataLoss failover drills: as in a failover, more expected loss fails the drill; null: no bound
 */
public record DrillRequest(
    String instance,
    String region,
    DrillSource source,
    String verification,
    DrillTargets targets,
    String reason,
    String requester,
    DrillKind kind,
    String database,
    String analyticsReplica,
    Duration maxDataLoss) {

  /** A restore drill. */
  public DrillRequest(String instance, String region, DrillSource source, String verification, DrillTargets targets,
      String reason, String requester) {
    this(instance, region, source, verification, targets, reason, requester, DrillKind.RESTORE, null, null, null);
  }

  /** The kind, {@code restore} for requests recorded before drills had kinds. */
  public DrillKind kindOrDefault() {
    return kind == null ? DrillKind.RESTORE : kind;
  }
}
