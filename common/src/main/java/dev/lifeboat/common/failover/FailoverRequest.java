package dev.lifeboat.common.failover;

import java.time.Duration;

/**
 * Input of {@link dev.lifeboat.common.workflow.FailoverWorkflow}, validated by the API.
 *
 * @param instance the primary that failed (or is being failed away from)
 * @param replica the replica to promote (promote-replica); null for restore-in-dr
 * @param database the pooler's database whose traffic is switched (PgBouncer's {@code [databases]} entry)
 * @param maxDataLoss the most data, in time, the failover may lose; more is refused unless {@code force}
 * @param emergency true: no approval (admins only, checked and audited by the API)
 * @param approvalTimeout how long the run waits for an approver
 * @param region restore-in-dr: the DR region to restore in; null for promote-replica
 * @param newInstance restore-in-dr: the id of the permanent primary restored there ({@code <instance>-dr})
 * @param analyticsReplica restore-in-dr: the old primary's analytics replica, recreated in the region; null: none
 * @param newReplica restore-in-dr: the id of that replica's successor ({@code <analytics replica>-dr}); null: none
 * @param rehearsal non-null for a failover drill's run of this workflow: nothing in production changes
 */
public record FailoverRequest(
    String instance,
    FailoverMode mode,
    String replica,
    String database,
    Duration maxDataLoss,
    boolean force,
    boolean emergency,
    Duration approvalTimeout,
    String reason,
    String requester,
    String region,
    String newInstance,
    String analyticsReplica,
    String newReplica,
    Rehearsal rehearsal) {

  /** A promote-replica failover (no DR fields). */
  public FailoverRequest(String instance, FailoverMode mode, String replica, String database, Duration maxDataLoss,
      boolean force, boolean emergency, Duration approvalTimeout, String reason, String requester) {
    this(instance, mode, replica, database, maxDataLoss, force, emergency, approvalTimeout, reason, requester, null,
        null, null, null, null);
  }

  /** A real failover (no rehearsal). */
  public FailoverRequest(String instance, FailoverMode mode, String replica, String database, Duration maxDataLoss,
      boolean force, boolean emergency, Duration approvalTimeout, String reason, String requester, String region,
      String newInstance, String analyticsReplica, String newReplica) {
    this(instance, mode, replica, database, maxDataLoss, force, emergency, approvalTimeout, reason, requester, region,
        newInstance, analyticsReplica, newReplica, null);
  }

  /** The instance that takes the traffic: the promoted replica, or the instance restored in the DR region. */
  public String newPrimary() {
    return mode == FailoverMode.RESTORE_IN_DR ? newInstance : replica;
  }
}
