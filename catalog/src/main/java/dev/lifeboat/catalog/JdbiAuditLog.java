package dev.lifeboat.catalog;

import static dev.lifeboat.catalog.CatalogFailures.guard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@link AuditLog} on the append-only {@code audit_log} table. */
public final class JdbiAuditLog implements AuditLog {
  private final Jdbi jdbi;

  JdbiAuditLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void append(AuditEntry entry) {
    guard(() -> jdbi.useHandle(handle -> handle.createUpdate("""
            INSERT INTO audit_log (at, principal, role, action, run_id, request, status, source_address)
            VALUES (coalesce(:at, now()), :principal, :role, :action, :runId, :request, :status, :sourceAddress)
            """)
        .bind("at", DbTime.bind(entry.at()))
        .bind("principal", entry.principal())
        .bind("role", entry.role())
        .bind("action", entry.action())
        .bind("runId", entry.runId())
        .bind("request", entry.request())
        .bind("status", entry.status())
        .bind("sourceAddress", entry.sourceAddress())
        .execute()));
  }

  @Override
  public Page<AuditEntry> list(AuditQuery query, String cursor, int limit) {
    int size = PageLimits.clamp(limit);
    Map<String, Object> params = new LinkedHashMap<>();
    List<String> where = new ArrayList<>();
    if (query.principal() != null) {
      where.add("principal = :principal");
      params.put("principal", query.principal());
    }
    if (query.runId() != null) {
      where.add("run_id = :runId");
      params.put("runId", query.runId());
    }
    if (query.action() != null) {
      where.add("action = :action");
      params.put("action", query.action());
    }
    if (query.since() != null) {
      where.add("at >= :since");
      params.put("since", DbTime.bind(query.since()));
    }
    if (query.until() != null) {
      where.add("at < :until");
      params.put("until", DbTime.bind(query.until()));
    }
    if (query.refused() != null) {
      where.add(query.refused() ? "status >= 400" : "status < 400");
    }
    if (cursor != null && !cursor.isEmpty()) {
      where.add("id < :afterId");
      params.put("afterId", Cursors.audit(cursor));
    }
    String sql = "SELECT id, at, principal, role, action, run_id, request, status, source_address FROM audit_log"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY id DESC LIMIT :fetch";
    return guard(() -> jdbi.withHandle(handle -> {
      List<AuditEntry> rows = handle.createQuery(sql)
          .bindMap(params)
          .bind("fetch", Pages.fetchSize(size))
          .map((rs, ctx) -> new AuditEntry(
              rs.getLong("id"),
              DbTime.read(rs, "at"),
              rs.getString("principal"),
              rs.getString("role"),
              rs.getString("action"),
              rs.getString("run_id"),
              rs.getString("request"),
              rs.getInt("status"),
              rs.getString("source_address")))
          .list();
      return Pages.of(rows, size, last -> Cursors.audit(last.id()));
    }));
  }
}
