package dev.lifeboat.common.model;

import java.util.Map;

/** What verification found on a restored instance: exact row counts per table ("schema.table"). */
public record VerifyResult(String serverVersion, boolean inRecovery, Map<String, Long> rowCounts) {
  public long totalRows() {
    return rowCounts.values().stream().mapToLong(Long::longValue).sum();
  }
}
