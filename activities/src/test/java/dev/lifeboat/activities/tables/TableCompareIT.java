package dev.lifeboat.activities.tables;

import static dev.lifeboat.activities.tables.TableFixtures.export;
import static dev.lifeboat.activities.tables.TableFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ColumnDrift;
import dev.lifeboat.common.model.CompareSpec;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.TableComparison;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Comparison on real clusters: the export's source (standing in for the temporary instance), a
 * production primary whose rows changed after the export, and its streaming replica, where the
 * current rows are read.
 */
class TableCompareIT {
  private static final String OLD = "lb-pitr-compare";
  private static final String PROD = "prod";
  private static final String ANALYTICS = "prod-analytics";
  private static TestLocalPlatform local;
  private static LocalExportStore store;
  private static ExportManifest exported;

  @BeforeAll
  static void exportThenChangeProduction() throws Exception {
    local = TestLocalPlatform.create("table-compare");
    local.platform().createPrimary(OLD, "techcorp");
    local.platform().createPrimary(PROD, "techcorp");
    store = new LocalExportStore(local.dataRoot().resolve("exports"));
    for (String instance : List.of(OLD, PROD)) {
      TableFixtures.refunds(local, instance, "refunds", 3000);
      TableFixtures.refunds(local, instance, "chargebacks", 3000);
      TableFixtures.refunds(local, instance, "payouts", 500);
      TableFixtures.refunds(local, instance, "fees", 200);
      TableFixtures.refunds(local, instance, "conflicted", 3000);
      // a column named like the comparison's table alias must not confuse its whole-row samples
      local.sql(instance, "create table payments.ledger_lines (account int, amount numeric, r text)");
      local.sql(instance, "insert into payments.ledger_lines select g % 5, g, 'line ' || (g % 50)"
          + " from generate_series(1, 500) g");
      local.sql(instance, "create table payments.\"Codes\" (region text, code text, label text, primary key (region, code))");
      local.sql(instance, "insert into payments.\"Codes\" select r, c, r || c from unnest(array['eu', 'us', 'ÄÖ', 'z'])"
          + " r, unnest(array['A', 'a', 'b', '10', '9', 'é', '😀']) c");
    }
    exported = export(local, store, "cmp-1", OLD, ProgressListener.NONE, new TableRef("payments", "refunds"),
        new TableRef("payments", "chargebacks"), new TableRef("payments", "payouts"), new TableRef("payments", "fees"),
        new TableRef("payments", "ledger_lines"), new TableRef("payments", "Codes"),
        new TableRef("payments", "conflicted"));
    // what happened in production after the point in time
    local.sql(PROD, "delete from payments.refunds where id between 1001 and 2000");
    local.sql(PROD, "update payments.refunds set note = 'changed' where id between 2001 and 2010");
    local.sql(PROD, "update payments.refunds set note = null where id = 2011"); // a NULL is a change too
    local.sql(PROD, "insert into payments.refunds select g, 1, 1, 'new', now() from generate_series(3001, 3005) g");
    local.sql(PROD, "delete from payments.ledger_lines where amount <= 20");
    local.sql(PROD, "insert into payments.ledger_lines values (9, 9, 'new line'), (9, 9, 'new line')");
    local.sql(PROD, "alter table payments.payouts add column currency text default 'EUR'");
    local.sql(PROD, "alter table payments.payouts alter column note type varchar(40)");
    local.sql(PROD, "update payments.payouts set amount = amount + 1 where id <= 3");
    local.sql(PROD, "drop table payments.fees");
    local.sql(PROD, "delete from payments.\"Codes\" where code in ('a', '😀')");
    local.sql(PROD, "update payments.\"Codes\" set label = 'x' where code = 'é'");
    local.sql(PROD, "insert into payments.\"Codes\" values ('eu', 'B', 'new')");
    local.platform().createReplica(ANALYTICS, PROD);
    local.sql(PROD, "insert into payments.refunds values (3006, 1, 1, 'after the replica', now())");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(TableFixtures.count(local, ANALYTICS, "payments.refunds")).isEqualTo(2006));
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void compare_countsRowsMissingChangedAndNew_withTheFirstKeysOfEach() throws Exception {
    TableFixtures.Recording progress = new TableFixtures.Recording();

    TableComparison c = new TableComparer(500, 3, 1000).compare(ds(OLD), ds(ANALYTICS),
        spec("refunds", ANALYTICS, 5), progress);

    assertThat(c.currentExists()).isTrue();
    assertThat(c.keyed()).isTrue();
    assertThat(c.exportRows()).isEqualTo(3000);
    assertThat(c.currentRows()).isEqualTo(2006);
    assertThat(c.onlyInExport()).isEqualTo(1000);
    assertThat(c.changed()).isEqualTo(11);
    assertThat(c.onlyNow()).isEqualTo(6);
    assertThat(c.sampleOnlyInExport()).containsExactly("{\"id\":1001}", "{\"id\":1002}", "{\"id\":1003}",
        "{\"id\":1004}", "{\"id\":1005}");
    assertThat(c.sampleChanged()).containsExactly("{\"id\":2001}", "{\"id\":2002}", "{\"id\":2003}",
        "{\"id\":2004}", "{\"id\":2005}");
    assertThat(c.sampleOnlyNow()).containsExactly("{\"id\":3001}", "{\"id\":3002}", "{\"id\":3003}",
        "{\"id\":3004}", "{\"id\":3005}");
    assertThat(c.drift()).isEqualTo(ColumnDrift.NONE);
    assertThat(c.comparedColumns()).containsExactly("id", "order_id", "amount", "note", "created_at");
    assertThat(c.comparedOn()).isEqualTo(ANALYTICS);
    assertThat(progress.details).contains("compared 1,000 of 3,000 exported rows of payments.refunds with " + ANALYTICS);
    assertThat(progress.percents).contains(33, 100);
  }

  @Test
  void compare_readsTheReplica_andNeverThePrimary() throws Exception {
    long[] before = scans(PROD);
    long[] replicaBefore = scans(ANALYTICS);

    new TableComparer().compare(ds(OLD), ds(ANALYTICS), spec("chargebacks", ANALYTICS, 5), ProgressListener.NONE);

    // the replica counts its own scans (flushed when the comparison's session ends); the primary's stay as they were
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(scans(ANALYTICS)[0] + scans(ANALYTICS)[1]).isGreaterThan(replicaBefore[0] + replicaBefore[1]));
    assertThat(scans(PROD)).isEqualTo(before);
    assertThatThrownBy(() -> new TableComparer().compare(ds(OLD), ds(PROD), spec("chargebacks", PROD, 5),
        ProgressListener.NONE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.NO_COMPARE_REPLICA);
          assertThat(e.getMessage()).contains("never from the primary");
        });
  }

  @Test
  void compare_ofATableWithoutKey_countsRowsAsAMultiset_andSamplesWholeRows() throws Exception {
    TableComparison c = new TableComparer().compare(ds(OLD), ds(ANALYTICS), spec("ledger_lines", ANALYTICS, 3),
        ProgressListener.NONE);

    assertThat(c.keyed()).isFalse();
    assertThat(c.exportRows()).isEqualTo(500);
    assertThat(c.currentRows()).isEqualTo(482);
    assertThat(c.onlyInExport()).isEqualTo(20);
    assertThat(c.onlyNow()).isEqualTo(2);
    assertThat(c.changed()).isZero();
    assertThat(c.sampleOnlyInExport()).hasSize(3).allMatch(s -> s.startsWith("{\"account\":"));
    assertThat(c.sampleOnlyNow()).containsExactly("{\"account\":9,\"amount\":9,\"r\":\"new line\"}",
        "{\"account\":9,\"amount\":9,\"r\":\"new line\"}");
  }

  @Test
  void compare_withColumnsChangedSinceTheExport_comparesTheSameColumnsOnly_andReportsTheDrift() throws Exception {
    TableComparison c = new TableComparer().compare(ds(OLD), ds(ANALYTICS), spec("payouts", ANALYTICS, 10),
        ProgressListener.NONE);

    assertThat(c.drift().onlyNow()).containsExactly("currency");
    assertThat(c.drift().onlyInExport()).isEmpty();
    assertThat(c.drift().typeChanged()).containsExactly("note: text -> character varying(40)");
    assertThat(c.comparedColumns()).containsExactly("id", "order_id", "amount", "created_at");
    assertThat(c.changed()).isEqualTo(3);
    assertThat(c.sampleChanged()).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}");
    assertThat(c.onlyInExport() + c.onlyNow()).isZero();
  }

  @Test
  void compare_whenTheTableIsGoneNow_hasEveryExportedRowMissing() throws Exception {
    TableComparison c = new TableComparer().compare(ds(OLD), ds(ANALYTICS), spec("fees", ANALYTICS, 2),
        ProgressListener.NONE);

    assertThat(c.currentExists()).isFalse();
    assertThat(c.onlyInExport()).isEqualTo(200);
    assertThat(c.currentRows()).isZero();
    assertThat(c.sampleOnlyInExport()).containsExactly("{\"id\":1}", "{\"id\":2}");
  }

  @Test
  void compare_byTextKeys_mergesInCodePointOrder_whateverTheCollation() throws Exception {
    TableComparison c = new TableComparer(5, 3, 1000).compare(ds(OLD), ds(ANALYTICS), spec("Codes", ANALYTICS, 20),
        ProgressListener.NONE);

    assertThat(c.keyed()).isTrue();
    assertThat(c.exportRows()).isEqualTo(28);
    assertThat(c.onlyInExport()).isEqualTo(8);
    assertThat(c.changed()).isEqualTo(4);
    assertThat(c.onlyNow()).isEqualTo(1);
    assertThat(c.sampleOnlyNow()).containsExactly("{\"region\":\"eu\",\"code\":\"B\"}");
    assertThat(c.sampleOnlyInExport()).contains("{\"region\":\"ÄÖ\",\"code\":\"😀\"}", "{\"region\":\"eu\",\"code\":\"a\"}");
  }

  @Test
  void compare_cancelledByAConflictWithRecovery_startsOver() throws Exception {
    local.sql(ANALYTICS, "alter system set max_standby_streaming_delay = 0");
    local.sql(ANALYTICS, "select pg_reload_conf()");
    AtomicBoolean conflicted = new AtomicBoolean();
    TableFixtures.Recording seen = new TableFixtures.Recording();
    ProgressListener progress = (detail, percent, bytes) -> {
      seen.progress(detail, percent, bytes);
      if (detail.startsWith("compared 500 ") && conflicted.compareAndSet(false, true)) {
        try {
          // replaying this lock on the replica conflicts with the comparison's open cursor there
          local.sql(PROD, "begin; lock table payments.conflicted in access exclusive mode; commit");
          String lsn = TableFixtures.one(local, PROD, "select pg_current_wal_lsn()");
          await().atMost(Duration.ofSeconds(10)).until(() -> "t".equals(TableFixtures.one(local, ANALYTICS,
              "select pg_last_wal_replay_lsn() >= '" + lsn + "'")));
          Thread.sleep(200);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
    try {
      TableComparison c = new TableComparer(100, 3, 500).compare(ds(OLD), ds(ANALYTICS),
          spec("conflicted", ANALYTICS, 5), progress);

      assertThat(conflicted).isTrue();
      assertThat(seen.details).anyMatch(d -> d.contains("was cancelled by the replica") && d.contains("attempt 2 of 3"));
      assertThat(c.exportRows()).isEqualTo(3000);
      assertThat(c.onlyInExport() + c.changed() + c.onlyNow()).isZero();
    } finally {
      local.sql(ANALYTICS, "alter system reset max_standby_streaming_delay");
      local.sql(ANALYTICS, "select pg_reload_conf()");
    }
  }

  private static CompareSpec spec(String table, String current, int samples) {
    TableManifest m = table(exported, table);
    return new CompareSpec("cmp-1", m, OLD, current, samples);
  }

  private static javax.sql.DataSource ds(String instance) {
    return local.platform().dataSource(instance);
  }

  /** seq_scan and idx_scan of payments.chargebacks on an instance. */
  private static long[] scans(String instance) throws SQLException {
    String row = TableFixtures.one(local, instance, "select coalesce(seq_scan, 0) || ',' || coalesce(idx_scan, 0)"
        + " from pg_stat_user_tables where relid = 'payments.chargebacks'::regclass");
    String[] parts = row.split(",");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
  }
}
