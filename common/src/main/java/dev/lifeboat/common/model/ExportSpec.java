package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * What to export: tables of a restored temporary instance.
 *
 * @param runId the table recovery run; also the export's id
 * @param fromInstance the temporary instance to read
 * @param sourceInstance the managed instance it was restored from
 * @param pointInTime the point in time it was restored to
 */
public record ExportSpec(
    String runId,
    String fromInstance,
    String sourceInstance,
    Instant pointInTime,
    List<TableRef> tables,
    Instant expiresAt) {}
