package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * One exported table: what it holds and how to check it.
 *
 * @param columns in the order of the COPY stream
 * @param primaryKey column names of the primary key, in key order; empty when the table has none
 * @param rows rows in the export
 * @param bytes bytes of the stored object
 * @param sha256 hex SHA-256 of the stored object
 * @param object where the object lives in the export store (relative key)
 * @param format {@code pg-binary-copy}: PostgreSQL's binary COPY format
 */
public record TableManifest(
    TableRef table,
    List<ColumnInfo> columns,
    List<String> primaryKey,
    long rows,
    long bytes,
    String sha256,
    String object,
    String format,
    Instant exportedAt) {
  public static final String BINARY_COPY = "pg-binary-copy";
}
