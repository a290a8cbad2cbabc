package dev.lifeboat.catalog;

/** Append-only record of who did what. */
public interface AuditLog {
  void append(AuditEntry entry);

  /** Newest first. */
  Page<AuditEntry> list(AuditQuery query, String cursor, int limit);

  /** Newest first, by caller and run; either may be null. */
  default Page<AuditEntry> list(String principal, String runId, String cursor, int limit) {
    return list(new AuditQuery(principal, runId, null, null, null, null), cursor, limit);
  }
}
