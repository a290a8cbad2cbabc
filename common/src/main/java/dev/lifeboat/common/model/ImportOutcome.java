package dev.lifeboat.common.model;

import java.util.List;

/**
 * What an import changed.
 *
 * @param targetTable the table written (schema-qualified display name)
 * @param backupTable for {@code replace}: where the pre-import rows were copied; null otherwise
 * @param rowsLoaded rows read from the export
 * @param rowsWritten rows inserted into the target table
 * @param loadedColumns the columns loaded
 * @param alreadyDone true when an earlier attempt of the same run had committed it (found by its marker)
 */
public record ImportOutcome(
    TableRef table,
    ImportMode mode,
    String targetTable,
    String backupTable,
    long rowsLoaded,
    long rowsWritten,
    List<String> loadedColumns,
    boolean alreadyDone) {}
