package dev.lifeboat.api.views;

/**
 * Body of {@code POST /v1/failovers}. Durations arrive as text so a malformed one is answered with
 * our own message naming the field.
 *
 * @param mode {@code promote-replica} (default), or {@code restore-in-dr}: a permanent primary restored in a DR
 *     region from the newest copy there, plus the WAL copied with it
 * @param replica the replica to promote (promote-replica)
 * @param region restore-in-dr: the DR region; the first DR region when left out
 * @param newInstance restore-in-dr: the new primary's id; {@code <instance>-dr} when left out
 * @param analyticsReplica restore-in-dr: the replica recreated in the region as {@code <analyticsReplica>-dr}; the
 *     configured analytics replica of the instance when left out
 * @param maxDataLoss how much data, in time, the promotion may lose; PT60S when left out
 * @param force go on even when the replica lags more than maxDataLoss
 * @param emergency skip the approval (admins only; recorded in the audit log)
 * @param database the pooler's database to switch; the instance's database when left out
 * @param approvalTimeout how long to wait for an approver; 1 h when left out
 */
public record FailoverBody(String instance, String mode, String replica, String maxDataLoss, Boolean force,
    Boolean emergency, String database, String approvalTimeout, String reason, String region, String newInstance,
    String analyticsReplica) {

  /** A promote-replica body (the fields restore-in-dr adds left out). */
  public FailoverBody(String instance, String mode, String replica, String maxDataLoss, Boolean force,
      Boolean emergency, String database, String approvalTimeout, String reason) {
    this(instance, mode, replica, maxDataLoss, force, emergency, database, approvalTimeout, reason, null, null, null);
  }
}
