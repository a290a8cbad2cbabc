package dev.lifeboat.common.model;

import java.util.List;

/**
 * What a DR drill checks on its restored instance, from the configuration's {@code drills.suites}.
 *
 * @param rowCounts tables whose counts must match the source's analytics replica within a tolerance
 * @param checks queries that must return true
 * @param extensions extensions that must be installed in the database
 * @param roles roles that must exist
 * @param freshnessQuery optional query returning the newest row timestamp (one {@code timestamptz});
 *     run on the source's analytics replica and on the drill instance, the two give the RPO
 */
public record VerificationSuite(
    String name,
    List<RowCountRule> rowCounts,
    List<SqlCheck> checks,
    List<String> extensions,
    List<String> roles,
    String freshnessQuery) {

  public VerificationSuite {
    rowCounts = rowCounts == null ? List.of() : List.copyOf(rowCounts);
    checks = checks == null ? List.of() : List.copyOf(checks);
    extensions = extensions == null ? List.of() : List.copyOf(extensions);
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** Whether the suite reads the source at all: row counts or a freshness query need its analytics replica. */
  public boolean readsSource() {
    return !rowCounts.isEmpty() || freshnessQuery != null && !freshnessQuery.isBlank();
  }
}
