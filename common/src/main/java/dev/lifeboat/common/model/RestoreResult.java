package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * Output of {@link dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow}.
 *
 * @param endedBy {@code released} or {@code ttl}
 */
public record RestoreResult(
    String temporaryInstance,
    Endpoint endpoint,
    Instant restoredTo,
    String snapshotId,
    VerifyResult verification,
    String endedBy,
    String releasedBy) {}
