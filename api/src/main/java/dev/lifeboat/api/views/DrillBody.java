package dev.lifeboat.api.views;

/**
 * Body of {@code POST /v1/drills}. Durations arrive as text so a malformed one is answered with
 * our own message naming the field.
 *
 * @param region a DR region; the platform's first DR region when left out
 * @param source {@code latest-copy} (default) or {@code pitr-latest}
 * @param verification the verification suite; the configured default when left out
 * @param targets RTO and RPO targets; the configured ones for those left out
 * @param kind {@code restore} (default) or {@code failover}: the restore-in-dr failover run on copies
 * @param database failover drills: the pooler database whose entry the drill copies; the instance's database
 * @param analyticsReplica failover drills: the replica the failover recreates; the configured analytics replica
 * @param maxDataLoss failover drills: as in a failover; no bound when left out
 */
public record DrillBody(String instance, String region, String source, String verification, DrillTargetsBody targets,
    String reason, String kind, String database, String analyticsReplica, String maxDataLoss) {

  /** A restore drill's body. */
  public DrillBody(String instance, String region, String source, String verification, DrillTargetsBody targets,
      String reason) {
    this(instance, region, source, verification, targets, reason, null, null, null, null);
  }
}
