package dev.lifeboat.activities.tables;

import static dev.lifeboat.activities.tables.TableFixtures.export;
import static dev.lifeboat.activities.tables.TableFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.TableActivitiesImpl;
import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.TableNames;
import dev.lifeboat.common.model.ColumnInfo;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import io.temporal.failure.ApplicationFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** Export on a real cluster: objects, manifests, checksums, retries, and names that must be refused. */
class TableExportIT {
  private static final String OLD = "export-source";
  private static TestLocalPlatform local;
  private static LocalExportStore store;

  @BeforeAll
  static void sourceWithTables() throws SQLException {
    local = TestLocalPlatform.create("table-export");
    local.platform().createPrimary(OLD, "techcorp");
    store = new LocalExportStore(local.dataRoot().resolve("exports"));
    TableFixtures.refunds(local, OLD, "refunds", 3000);
    TableFixtures.refunds(local, OLD, "disputes", 700);
    local.sql(OLD, "create table payments.ledger_lines (account int, amount numeric, memo text)"); // no key
    local.sql(OLD, "insert into payments.ledger_lines select g % 5, g, 'line' from generate_series(1, 500) g");
    local.sql(OLD, "insert into payments.ledger_lines select 1, 1, 'line' from generate_series(1, 3)"); // duplicates
    local.sql(OLD, "create view payments.refund_totals as select order_id, sum(amount) from payments.refunds group by 1");
    local.sql(OLD, "create materialized view payments.refund_counts as select count(*) from payments.refunds");
    local.sql(OLD, "create table payments.events (id bigint, at date not null, kind text, primary key (id, at))"
        + " partition by range (at)");
    local.sql(OLD, "create table payments.events_2026_10 partition of payments.events"
        + " for values from ('2026-10-01') to ('2026-11-01')");
    local.sql(OLD, "create table payments.events_2026_11 partition of payments.events"
        + " for values from ('2026-11-01') to ('2026-12-01')");
    local.sql(OLD, "insert into payments.events select g, date '2026-10-01' + (g % 61), 'k' || g from generate_series(1, 400) g");
    local.sql(OLD, "create table payments.\"Odd \"\"Name\"\"\" (\"Id\" int primary key, \"select\" text,"
        + " total numeric generated always as (\"Id\" * 2) stored)");
    local.sql(OLD, "insert into payments.\"Odd \"\"Name\"\"\" values (1, 'a'), (2, null)");
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void export_writesEachTableAndItsManifest_withRowsBytesAndAChecksumOfTheStoredObject() throws Exception {
    TableFixtures.Recording progress = new TableFixtures.Recording();

    ExportManifest m = export(local, store, "exp-1", OLD, progress, new TableRef("payments", "refunds"),
        new TableRef("payments", "ledger_lines"), new TableRef("payments", "refunds"));

    assertThat(m.exportId()).isEqualTo("exp-1");
    assertThat(m.exportedFrom()).isEqualTo(OLD);
    assertThat(m.store()).isEqualTo(store.uri()).startsWith("file:/");
    assertThat(m.tables()).extracting(t -> t.table().name()).containsExactly("refunds", "ledger_lines");
    TableManifest refunds = table(m, "refunds");
    assertThat(refunds.rows()).isEqualTo(3000);
    assertThat(refunds.primaryKey()).containsExactly("id");
    assertThat(refunds.format()).isEqualTo(TableManifest.BINARY_COPY);
    assertThat(refunds.columns()).containsExactly(new ColumnInfo("id", "bigint", true),
        new ColumnInfo("order_id", "integer", true), new ColumnInfo("amount", "numeric(12,2)", true),
        new ColumnInfo("note", "text", false), new ColumnInfo("created_at", "timestamp with time zone", true));
    assertThat(table(m, "ledger_lines").primaryKey()).isEmpty();
    assertThat(table(m, "ledger_lines").rows()).isEqualTo(503);
    for (TableManifest t : m.tables()) {
      Path file = store.resolve(t.object());
      assertThat(Files.size(file)).isEqualTo(t.bytes());
      assertThat(sha256(file)).isEqualTo(t.sha256());
      BinaryCopyRows rows = new BinaryCopyRows();
      byte[] all = Files.readAllBytes(file);
      rows.feed(all, 0, all.length);
      assertThat(rows.rows()).isEqualTo(t.rows());
      assertThat(rows.complete()).isTrue();
    }
    assertThat(ExportJson.read(store.getString(ExportKeys.manifest("exp-1")), ExportManifest.class)).isEqualTo(m);
    assertThat(ExportJson.read(store.getString(ExportKeys.tableManifest("exp-1", refunds.table())), TableManifest.class))
        .isEqualTo(refunds);
    assertThat(progress.details).anyMatch(d -> d.matches("exported [0-9,]+ (of ~[0-9,]+ )?rows of payments.refunds"));
    assertThat(progress.percents.get(progress.percents.size() - 1)).isEqualTo(100);
  }

  @Test
  void export_object_loadsBackIntoTheSameRows() throws Exception {
    TableManifest refunds = table(export(local, store, "exp-2", OLD, ProgressListener.NONE,
        new TableRef("payments", "refunds")), "refunds");

    local.sql(OLD, "create table payments.refunds_reloaded (like payments.refunds)");
    try (Connection c = local.platform().connection(OLD); InputStream in = store.open(refunds.object())) {
      long rows = c.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("copy payments.refunds_reloaded from stdin (format binary)", in);
      assertThat(rows).isEqualTo(3000);
    }
    assertThat(TableFixtures.checksum(local, OLD, "payments.refunds_reloaded", "id"))
        .isEqualTo(TableFixtures.checksum(local, OLD, "payments.refunds", "id"));
    local.sql(OLD, "drop table payments.refunds_reloaded");
  }

  @Test
  void export_retried_keepsTablesWhoseObjectIsWhole_andRedoesADamagedOne() throws Exception {
    ExportManifest first = export(local, store, "exp-3", OLD, ProgressListener.NONE,
        new TableRef("payments", "refunds"), new TableRef("payments", "disputes"));
    Path kept = store.resolve(table(first, "refunds").object());
    Path damaged = store.resolve(table(first, "disputes").object());
    FileTime keptTime = FileTime.fromMillis(1_000_000);
    Files.setLastModifiedTime(kept, keptTime);
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(damaged, bytes);
    store.delete(ExportKeys.manifest("exp-3")); // the first attempt died before its manifest
    TableFixtures.Recording progress = new TableFixtures.Recording();

    ExportManifest again = export(local, store, "exp-3", OLD, progress, new TableRef("payments", "refunds"),
        new TableRef("payments", "disputes"));

    assertThat(Files.getLastModifiedTime(kept)).isEqualTo(keptTime);
    assertThat(table(again, "refunds")).isEqualTo(table(first, "refunds"));
    assertThat(sha256(damaged)).isEqualTo(table(first, "disputes").sha256()).isEqualTo(table(again, "disputes").sha256());
    assertThat(progress.details).contains("verifying the earlier export of payments.refunds");
    assertThat(store.list("exp-3/")).contains(ExportKeys.manifest("exp-3"));
  }

  @Test
  void export_ofAPartition_andOfOddNames_works_leavingGeneratedColumnsOut() throws Exception {
    TableRef odd = TableNames.parse("payments.\"Odd \"\"Name\"\"\"");
    ExportManifest m = export(local, store, "exp-4", OLD, ProgressListener.NONE,
        new TableRef("payments", "events_2026_10"), odd);

    assertThat(table(m, "events_2026_10").rows()).isEqualTo(Long.parseLong(TableFixtures.one(local, OLD,
        "select count(*) from payments.events where at < '2026-11-01'")));
    assertThat(table(m, "events_2026_10").primaryKey()).containsExactly("id", "at");
    TableManifest oddTable = table(m, "Odd \"Name\"");
    assertThat(oddTable.rows()).isEqualTo(2);
    assertThat(oddTable.columns()).extracting(ColumnInfo::name).containsExactly("Id", "select");
    assertThat(oddTable.object()).isEqualTo("exp-4/tables/payments.Odd%20%22Name%22.pgcopy");
  }

  @Test
  void export_ofBadNames_failsWithTheirType_beforeWritingAnything() {
    expectRefused("payments.nothing_here", ErrorType.TABLE_NOT_FOUND, "does not exist");
    expectRefused("\"weird\".\"name\"", ErrorType.TABLE_NOT_FOUND, "no schema named 'weird'");
    expectRefused("payments.refund_totals", ErrorType.NOT_A_PLAIN_TABLE, "is a view");
    expectRefused("payments.refund_counts", ErrorType.NOT_A_PLAIN_TABLE, "materialized view");
    expectRefused("payments.events", ErrorType.NOT_A_PLAIN_TABLE, "payments.events_2026_10, payments.events_2026_11");
    expectRefused("pg_catalog.pg_class", ErrorType.NOT_A_PLAIN_TABLE, "system catalog");
  }

  @Test
  void resolveTables_checksEveryName_andTurnsRefusalsIntoTypedFailures() {
    TableActivitiesImpl activities = new TableActivitiesImpl(local.platform(), store, null, Clock.systemUTC());

    assertThat(activities.resolveTables(OLD, List.of(new TableRef("payments", "refunds"),
        new TableRef("payments", "events_2026_11"), new TableRef("payments", "refunds"))))
        .containsExactly(new TableRef("payments", "refunds"), new TableRef("payments", "events_2026_11"));
    assertThatThrownBy(() -> activities.resolveTables(OLD, List.of(new TableRef("payments", "events"))))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo(ErrorType.NOT_A_PLAIN_TABLE.name());
          assertThat(f.isNonRetryable()).isTrue();
        });
  }

  private static void expectRefused(String name, ErrorType type, String message) {
    String runId = "bad-" + Integer.toHexString(name.hashCode());
    assertThatThrownBy(() -> export(local, store, runId, OLD, ProgressListener.NONE,
        new TableRef("payments", "refunds"), TableNames.parse(name)))
        .as(name)
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(type);
          assertThat(e.getMessage()).contains(message);
        });
    try {
      assertThat(store.list(runId + "/")).as("nothing written for " + name).isEmpty();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    d.update(Files.readAllBytes(file));
    return HexFormat.of().formatHex(d.digest());
  }
}
