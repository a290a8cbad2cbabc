package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * A point-in-time restore into a new temporary instance.
 *
 * @param instanceId id of the temporary instance to create
 * @param sourceInstance the managed instance whose backups are restored
 * @param snapshotId the snapshot chosen by {@link RestorePlan}
 * @param region where the snapshot and WAL come from (and the instance runs); null means home
 */
public record RestoreSpec(
    String instanceId,
    String sourceInstance,
    Instant targetTime,
    String snapshotId,
    String runId,
    String requester,
    Instant expiresAt,
    String region) {}
