package dev.lifeboat.catalog;

/** Append-only record of who did what. */
public interface AuditLog {
  void append(AuditEntry entry);

  /** Newest first; filters may be null. */
  Page<AuditEntry> list(String principal, String runId, String cursor, int limit);
}
