package dev.lifeboat.catalog;

import static dev.lifeboat.catalog.CatalogFailures.guard;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@link IdempotencyKeyStore} on the {@code idempotency_keys} table. */
public final class JdbiIdempotencyKeyStore implements IdempotencyKeyStore {
  /**
   * Inserts the key, or takes over a row older than the retention; returns the row only when it
   * did either. A concurrent insert of the same key waits for the first to commit, then finds the
   * row young and returns nothing.
   */
  private static final String RESERVE = """
      INSERT INTO idempotency_keys (principal, key, fingerprint, run_id)
      VALUES (:principal, :key, :fingerprint, :runId)
      ON CONFLICT (principal, key) DO UPDATE SET
        fingerprint = excluded.fingerprint, run_id = excluded.run_id, created_at = now(), status = NULL
      WHERE idempotency_keys.created_at < now() - make_interval(secs => :retentionSeconds)
      RETURNING principal, key, fingerprint, run_id, created_at, status
      """;

  private static final String FIND = """
      SELECT principal, key, fingerprint, run_id, created_at, status FROM idempotency_keys
      WHERE principal = :principal AND key = :key
      """;

  private static final String RECORD_STATUS = """
      UPDATE idempotency_keys SET status = :status
      WHERE principal = :principal AND key = :key AND run_id = :runId AND status IS NULL
      """;

  private final Jdbi jdbi;

  JdbiIdempotencyKeyStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Reservation reserve(String principal, String key, String fingerprint, String runId) {
    return guard(() -> jdbi.withHandle(handle -> {
      Optional<Entry> reserved = handle.createQuery(RESERVE)
          .bind("principal", principal)
          .bind("key", key)
          .bind("fingerprint", fingerprint)
          .bind("runId", runId)
          .bind("retentionSeconds", (double) RETENTION.toSeconds())
          .map((rs, ctx) -> entry(rs))
          .findOne();
      if (reserved.isPresent()) {
        return new Reservation(reserved.get(), true);
      }
      return new Reservation(find(handle, principal, key).orElseThrow(() -> new IllegalStateException(
          "idempotency key of " + principal + " was neither reserved nor found")), false);
    }));
  }

  @Override
  public void recordStatus(String principal, String key, String runId, int status) {
    guard(() -> jdbi.useHandle(handle -> handle.createUpdate(RECORD_STATUS)
        .bind("principal", principal)
        .bind("key", key)
        .bind("runId", runId)
        .bind("status", status)
        .execute()));
  }

  private static Optional<Entry> find(Handle handle, String principal, String key) {
    return handle.createQuery(FIND)
        .bind("principal", principal)
        .bind("key", key)
        .map((rs, ctx) -> entry(rs))
        .findOne();
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    int status = rs.getInt("status");
    Integer answered = rs.wasNull() ? null : status;
    return new Entry(rs.getString("principal"), rs.getString("key"), rs.getString("fingerprint"),
        rs.getString("run_id"), DbTime.read(rs, "created_at"), answered);
  }
}
