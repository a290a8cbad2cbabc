package dev.lifeboat.api.views;

import java.util.List;

/**
 * Body of {@code POST /v1/table-recoveries}. Times, durations and modes arrive as text so a
 * malformed one is answered with our own message naming the field.
 *
 * @param tables {@code schema.table} names, double-quoted where PostgreSQL would need it
 * @param mode {@code new-table} (default), {@code insert-missing} or {@code replace}
 * @param requireApproval default true: nothing is imported before another person approves
 * @param allowSchemaDrift {@code matching-columns} to import the columns both sides share
 * @param compareOn optional: the replica current rows are read from (default: the configured
 *     analytics replica of the instance)
 * @param approvalTimeout optional, ISO-8601 or short ({@code 12h})
 */
public record TableRecoveryBody(
    String instance,
    String targetTime,
    List<String> tables,
    String mode,
    Boolean requireApproval,
    String allowSchemaDrift,
    String compareOn,
    String approvalTimeout,
    String reason) {}
