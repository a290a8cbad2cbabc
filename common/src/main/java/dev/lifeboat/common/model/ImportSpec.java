package dev.lifeboat.common.model;

/**
 * Loads one exported table into production, in one transaction.
 *
 * @param targetInstance the primary
 * @param suffix {@code yyyyMMddHHmm} of the point in time: names {@code <table>_restored_<suffix>}
 *     and {@code <table>_backup_<suffix>}; fixed by the workflow so a retry names the same tables
 */
public record ImportSpec(
    String runId,
    String exportStore,
    TableManifest table,
    String targetInstance,
    ImportMode mode,
    SchemaDriftPolicy drift,
    String suffix) {}
