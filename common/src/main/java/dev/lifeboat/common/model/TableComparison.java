package dev.lifeboat.common.model;

import java.util.List;

/**
 * The export against the table as it is now.
 *
 * @param currentExists false when the table no longer exists (then every exported row is missing now)
 * @param keyed true when rows were matched by primary key; false when by whole-row content
 * @param onlyInExport rows in the export and not now: what a recovery brings back
 * @param changed rows with the same key and other values now (keyed comparisons only)
 * @param onlyNow rows now and not in the export
 * @param comparedColumns the columns compared (both sides, same type)
 * @param sampleOnlyInExport up to the sample limit of keys (JSON text) of each kind
 * @param comparedOn the instance the current rows were read from
 */
public record TableComparison(
    TableRef table,
    boolean currentExists,
    boolean keyed,
    long exportRows,
    long currentRows,
    long onlyInExport,
    long changed,
    long onlyNow,
    List<String> comparedColumns,
    ColumnDrift drift,
    List<String> sampleOnlyInExport,
    List<String> sampleChanged,
    List<String> sampleOnlyNow,
    String comparedOn) {}
