package dev.lifeboat.common.model;

import java.util.List;

/**
 * How the snapshot of one instance ended, with its copies: one instance's failure never stops the
 * others.
 *
 * @param status {@code succeeded} or {@code failed}
 */
public record InstanceSnapshotOutcome(
    String instance,
    String snapshotId,
    String status,
    long bytes,
    RunError error,
    List<CopyOutcome> copies) {}
