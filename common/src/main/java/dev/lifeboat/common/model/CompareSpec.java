package dev.lifeboat.common.model;

/**
 * Compares one exported table with the same table as it is now.
 *
 * @param exportedFrom the temporary instance the export was read from (still holds the same rows)
 * @param currentInstance where the current rows are read: the analytics replica, never the primary
 * @param sampleLimit at most this many keys per kind of difference in the result
 */
public record CompareSpec(
    String runId,
    TableManifest table,
    String exportedFrom,
    String currentInstance,
    int sampleLimit) {}
