package dev.lifeboat.common.model;

import java.time.Duration;
import java.time.Instant;

/**
 * Input of {@link dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow}.
 *
 * @param schema verify row counts of this schema only (all user schemas when null)
 * @param ttl how long the temporary instance is kept when nobody releases it
 */
public record RestoreRequest(
    String instance,
    Instant targetTime,
    Duration ttl,
    String reason,
    String requester,
    String schema) {}
