package dev.lifeboat.catalog;

import java.time.Instant;

/**
 * Filters of the audit log; each null one is not applied.
 *
 * @param action exact action, e.g. {@code POST /v1/runs/{id}/approve}
 * @param since entries at or after
 * @param until entries before
 * @param refused true: only answers of 400 and above; false: only those below
 */
public record AuditQuery(String principal, String runId, String action, Instant since, Instant until,
    Boolean refused) {
  public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null);
}
