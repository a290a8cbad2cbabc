package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What verification found on a restored instance, per table ("schema.table").
 *
 * @param rowCounts exact row counts: every table up to the platform's exact-count size
 *     ({@code Verifier.EXACT_COUNT_MAX_BYTES}), and bigger ones the planner has no estimate for
 * @param estimatedRowCounts the planner's estimate for bigger tables (the density of the last
 *     VACUUM or ANALYZE before the restore point times the table's current size), so that a restore
 *     of a large database is not held back by a full scan of every table; empty when none (a
 *     payload of an older worker has no such field; an older worker ignores it in ours)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VerifyResult(String serverVersion, boolean inRecovery, Map<String, Long> rowCounts,
    Map<String, Long> estimatedRowCounts) {
  public VerifyResult {
    rowCounts = rowCounts == null ? Map.of() : rowCounts;
    estimatedRowCounts = estimatedRowCounts == null ? Map.of() : estimatedRowCounts;
  }
}
