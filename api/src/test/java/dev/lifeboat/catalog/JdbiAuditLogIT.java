package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit log on a real PostgreSQL 15: appends, lists, and refuses every change. */
class JdbiAuditLogIT {
  private static TestPostgres postgres;
  private static AuditLog audit;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start("catalog-audit");
    audit = Catalog.open(postgres.dataSource()).audit();
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static AuditEntry entry(String principal, String runId, int status) {
    return new AuditEntry(null, null, principal, "operator", "POST /v1/restores", runId, "{\"broken json", status, "10.0.0.7");
  }

  @Test
  void append_thenList_newestFirstWithServerTime() {
    String principal = "p-" + UUID.randomUUID();
    audit.append(entry(principal, "run-1", 202));
    audit.append(entry(principal, null, 400));

    List<AuditEntry> items = audit.list(new AuditQuery(principal, null, null, null, null, null), null, 10).items();

    assertThat(items).extracting(AuditEntry::status).containsExactly(400, 202);
    assertThat(items.get(0).id()).isGreaterThan(items.get(1).id());
    assertThat(items.get(0).at()).isNotNull();
    assertThat(items.get(1).request()).as("kept as sent, even when not JSON").isEqualTo("{\"broken json");
    assertThat(items.get(1).sourceAddress()).isEqualTo("10.0.0.7");
    assertThat(items.get(1).role()).isEqualTo("operator");
  }

  @Test
  void list_filtersByActionOutcomeAndTime() {
    String principal = "p-" + UUID.randomUUID();
    java.time.Instant before = java.time.Instant.now().minusSeconds(5);
    audit.append(entry(principal, "run-a", 202));
    audit.append(entry(principal, "run-b", 403));
    audit.append(new AuditEntry(null, null, principal, "approver", "POST /v1/runs/{id}/approve", "run-a", null, 200,
        null));

    assertThat(audit.list(new AuditQuery(principal, null, null, null, null, true), null, 10).items())
        .extracting(AuditEntry::runId).containsExactly("run-b");
    assertThat(audit.list(new AuditQuery(principal, null, "POST /v1/runs/{id}/approve", null, null, null), null, 10)
        .items()).extracting(AuditEntry::role).containsExactly("approver");
    assertThat(audit.list(new AuditQuery(principal, null, null, before, null, false), null, 10).items())
        .hasSize(2);
    assertThat(audit.list(new AuditQuery(principal, null, null, null, before, null), null, 10).items()).isEmpty();
  }

  @Test
  void list_filtersByRunAndPages() {
    String principal = "p-" + UUID.randomUUID();
    String runId = "run-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      audit.append(entry(principal, runId, 200 + i));
    }
    audit.append(entry(principal, "other", 500));

    List<Integer> seen = new ArrayList<>();
    String cursor = null;
    do {
      Page<AuditEntry> page = audit.list(new AuditQuery(null, runId, null, null, null, null), cursor, 2);
      page.items().forEach(item -> seen.add(item.status()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactly(204, 203, 202, 201, 200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"UPDATE audit_log SET status = 200", "DELETE FROM audit_log", "TRUNCATE audit_log"})
  void changes_areRefusedEvenForTheOwner(String sql) throws SQLException {
    audit.append(entry("mallory", null, 403));

    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(sql))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only");
    }
    assertThat(audit.list("mallory", null, null, 10).items()).isNotEmpty();
  }
}
