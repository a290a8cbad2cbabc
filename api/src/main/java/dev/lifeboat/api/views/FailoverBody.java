package dev.lifeboat.api.views;

/**
 * Body of {@code POST /v1/failovers}. Durations arrive as text so a malformed one is answered with
 * our own message naming the field.
 *
 * @param mode {@code promote-replica} (default); {@code restore-in-dr} is not built yet
 * @param replica the replica to promote (promote-replica)
 * @param maxDataLoss how much data, in time, the promotion may lose; PT60S when left out
 * @param force go on even when the replica lags more than maxDataLoss
 * @param emergency skip the approval (admins only; recorded in the audit log)
 * @param database the pooler's database to switch; the instance's database when left out
 * @param approvalTimeout how long to wait for an approver; 1 h when left out
 */
public record FailoverBody(String instance, String mode, String replica, String maxDataLoss, Boolean force,
    Boolean emergency, String database, String approvalTimeout, String reason) {}
