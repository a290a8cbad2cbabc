package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot (base backup) of an instance in one region.
 *
 * @param startedAt when the backup began; data from before it is complete in the snapshot
 * @param stoppedAt end of backup: the earliest time a point-in-time restore from it may target
 * @param status {@code creating}, {@code available} or {@code failed}
 */
public record SnapshotInfo(
    String id,
    String instance,
    String region,
    String status,
    Instant startedAt,
    Instant stoppedAt,
    long bytes,
    Map<String, String> tags) {}
