package dev.lifeboat.api.tables;

import java.time.Duration;
import java.util.Map;

/**
 * Table recovery settings of the API.
 *
 * @param compareOn per source instance, the replica whose current rows a comparison reads (the
 *     analytics replica); an instance not listed uses its only replica, or the one whose id
 *     contains {@code analytics}
 * @param approvalTimeout how long a run waits for an approver by default
 * @param maxApprovalTimeout the longest wait a request may ask for
 * @param exportRetention how long exports are kept
 * @param maxTables most tables in one request
 */
public record TableRecoverySettings(
    Map<String, String> compareOn,
    Duration approvalTimeout,
    Duration maxApprovalTimeout,
    Duration exportRetention,
    int maxTables) {
  public static final TableRecoverySettings DEFAULTS =
      new TableRecoverySettings(Map.of(), Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(7), 20);

  public TableRecoverySettings {
    compareOn = compareOn == null ? Map.of() : Map.copyOf(compareOn);
  }
}
