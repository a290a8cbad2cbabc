package dev.lifeboat.common.model;

/**
 * A column of an exported table.
 *
 * @param type the type as {@code format_type(atttypid, atttypmod)} prints it, e.g. {@code numeric(12,2)}
 */
public record ColumnInfo(String name, String type, boolean notNull) {}
