package dev.lifeboat.catalog;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;

/**
 * A snapshot as the catalog remembers it.
 *
 * @param runId the run that made or copied it
 * @param deletedAt when retention deleted it; null while it exists
 */
public record InventoryEntry(SnapshotInfo snapshot, String runId, Instant recordedAt, Instant deletedAt) {}
