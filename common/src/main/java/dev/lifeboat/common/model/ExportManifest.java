package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * An export of tables taken from a point-in-time restore, kept in the export store until
 * {@code expiresAt}.
 *
 * @param exportId the run id of the table recovery that made it
 * @param sourceInstance the managed instance whose backup was restored
 * @param pointInTime the restored point in time: the data is the source's as of then
 * @param exportedFrom the temporary instance the rows were read from
 * @param store where the export lives, e.g. {@code file:///var/lib/lifeboat/exports/...} or {@code s3://bucket/prefix/...}
 */
public record ExportManifest(
    String exportId,
    String sourceInstance,
    Instant pointInTime,
    String exportedFrom,
    String store,
    List<TableManifest> tables,
    Instant createdAt,
    Instant expiresAt) {}
