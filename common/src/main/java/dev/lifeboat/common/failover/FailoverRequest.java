package dev.lifeboat.common.failover;

import java.time.Duration;

/**
 * Input of {@link dev.lifeboat.common.workflow.FailoverWorkflow}, validated by the API.
 *
 * @param instance the primary that failed (or is being failed away from)
 * @param replica the replica to promote
 * @param database the pooler's database whose traffic is switched (PgBouncer's {@code [databases]} entry)
 * @param maxDataLoss the most data, in time, the promotion may lose; more is refused unless {@code force}
 * @param emergency true: no approval (admins only, checked and audited by the API)
 * @param approvalTimeout how long the run waits for an approver
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
    String requester) {}
