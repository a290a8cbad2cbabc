package dev.lifeboat.activities.tables;

import static dev.lifeboat.activities.tables.TableFixtures.checksum;
import static dev.lifeboat.activities.tables.TableFixtures.count;
import static dev.lifeboat.activities.tables.TableFixtures.export;
import static dev.lifeboat.activities.tables.TableFixtures.exists;
import static dev.lifeboat.activities.tables.TableFixtures.one;
import static dev.lifeboat.activities.tables.TableFixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.ImportOutcome;
import dev.lifeboat.common.model.ImportSpec;
import dev.lifeboat.common.model.SchemaDriftPolicy;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Imports on real clusters: each test exports its own table from the old instance (standing in
 * for the temporary instance) and imports it into production, where the table's rows changed.
 */
class TableImportIT {
  private static final String OLD = "lb-pitr-import";
  private static final String PROD = "prod";
  private static final String SUFFIX = "202611241031";
  private static TestLocalPlatform local;
  private static LocalExportStore store;

  @BeforeAll
  static void instances() {
    local = TestLocalPlatform.create("table-import");
    local.platform().createPrimary(OLD, "techcorp");
    local.platform().createPrimary(PROD, "techcorp");
    store = new LocalExportStore(local.dataRoot().resolve("exports"));
  }

  @AfterAll
  static void tearDown() {
    if (local != null) {
      local.close();
    }
  }

  /** The same table on both instances, then production changed: 1000 deleted, 10 updated, 5 new rows. */
  private static TableManifest exportedThenChanged(String name) throws Exception {
    for (String instance : List.of(OLD, PROD)) {
      TableFixtures.refunds(local, instance, name, 3000);
    }
    TableManifest m = table(export(local, store, "imp-" + name.replace('_', '-'), OLD, ProgressListener.NONE,
        new TableRef("payments", name)), name);
    String t = "payments." + name;
    local.sql(PROD, "delete from " + t + " where id between 1001 and 2000");
    local.sql(PROD, "update " + t + " set note = 'changed' where id between 2001 and 2010");
    local.sql(PROD, "insert into " + t + " select g, 1, 1, 'new', now() from generate_series(3001, 3005) g");
    return m;
  }

  private static ImportSpec spec(TableManifest m, ImportMode mode, SchemaDriftPolicy drift) {
    return new ImportSpec(m.object().substring(0, m.object().indexOf('/')), store.uri(), m, PROD, mode, drift, SUFFIX);
  }

  private static ImportOutcome run(TableManifest m, ImportMode mode) throws Exception {
    return new TableImporter(store).importTable(local.platform().dataSource(PROD), spec(m, mode, SchemaDriftPolicy.REFUSE),
        ProgressListener.NONE);
  }

  @Test
  void newTable_loadsEveryExportedRowIntoANewTable_andLeavesTheOriginalUntouched() throws Exception {
    TableManifest m = exportedThenChanged("nt_refunds");
    String before = checksum(local, PROD, "payments.nt_refunds", "id");
    TableFixtures.Recording progress = new TableFixtures.Recording();

    ImportOutcome o = new TableImporter(store).importTable(local.platform().dataSource(PROD),
        spec(m, ImportMode.NEW_TABLE, SchemaDriftPolicy.REFUSE), progress);

    String restored = "payments.nt_refunds_restored_" + SUFFIX;
    assertThat(o.targetTable()).isEqualTo(restored);
    assertThat(o.backupTable()).isNull();
    assertThat(o.rowsLoaded()).isEqualTo(3000);
    assertThat(o.rowsWritten()).isEqualTo(3000);
    assertThat(o.alreadyDone()).isFalse();
    assertThat(o.loadedColumns()).containsExactly("id", "order_id", "amount", "note", "created_at");
    assertThat(checksum(local, PROD, restored, "id")).isEqualTo(checksum(local, OLD, "payments.nt_refunds", "id"));
    assertThat(checksum(local, PROD, "payments.nt_refunds", "id")).isEqualTo(before);
    assertThat(one(local, PROD, "select pg_get_constraintdef(oid) from pg_constraint where conrelid = '" + restored
        + "'::regclass and contype = 'p'")).isEqualTo("PRIMARY KEY (id)");
    assertThat(one(local, PROD, "select obj_description('" + restored + "'::regclass, 'pg_class')"))
        .startsWith("lifeboat run imp-nt-refunds: payments.nt_refunds as restored from export object");
    assertThat(one(local, PROD, "select attnotnull from pg_attribute where attrelid = '" + restored
        + "'::regclass and attname = 'amount'")).isEqualTo("t");
    assertThat(progress.details).contains("loaded 3,000 rows of payments.nt_refunds into " + restored,
        "adding the primary key of " + restored);
    assertThat(progress.percents.get(progress.percents.size() - 1)).isEqualTo(100);
  }

  @Test
  void newTable_retriedAfterItCommitted_findsItsMark_andWritesNothingAgain() throws Exception {
    TableManifest m = exportedThenChanged("nt_retry");
    run(m, ImportMode.NEW_TABLE);

    ImportOutcome again = run(m, ImportMode.NEW_TABLE);

    assertThat(again.alreadyDone()).isTrue();
    assertThat(again.rowsWritten()).isEqualTo(3000);
    assertThat(again.targetTable()).isEqualTo("payments.nt_retry_restored_" + SUFFIX);
    assertThat(count(local, PROD, "payments.nt_retry_restored_" + SUFFIX)).isEqualTo(3000);
  }

  @Test
  void newTable_whenATableOfThatNameExistsWithoutTheMark_isAConflict() throws Exception {
    TableManifest m = exportedThenChanged("nt_taken");
    local.sql(PROD, "create table payments.nt_taken_restored_" + SUFFIX + " (x int)");

    assertThatThrownBy(() -> run(m, ImportMode.NEW_TABLE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.IMPORT_CONFLICT);
          assertThat(e.getMessage()).contains("already exists and was not created by run imp-nt-taken");
        });
  }

  @Test
  void insertMissing_bringsBackExactlyTheDeletedRows_andLeavesChangedAndNewRowsAlone() throws Exception {
    TableManifest m = exportedThenChanged("im_refunds");

    ImportOutcome o = run(m, ImportMode.INSERT_MISSING);

    assertThat(o.rowsLoaded()).isEqualTo(3000);
    assertThat(o.rowsWritten()).isEqualTo(1000);
    assertThat(o.targetTable()).isEqualTo("payments.im_refunds");
    assertThat(count(local, PROD, "payments.im_refunds")).isEqualTo(3005);
    assertThat(checksum(local, PROD, "(select * from payments.im_refunds where id between 1001 and 2000)", "id"))
        .isEqualTo(checksum(local, OLD, "(select * from payments.im_refunds where id between 1001 and 2000)", "id"));
    assertThat(count(local, PROD, "payments.im_refunds where note = 'changed'")).isEqualTo(10);
    assertThat(count(local, PROD, "payments.im_refunds where id > 3000")).isEqualTo(5);

    ImportOutcome again = run(m, ImportMode.INSERT_MISSING);

    assertThat(again.rowsWritten()).isZero();
    assertThat(count(local, PROD, "payments.im_refunds")).isEqualTo(3005);
  }

  @Test
  void replace_loadsTheExport_andKeepsThePreImportRowsInTheBackupTable() throws Exception {
    TableManifest m = exportedThenChanged("rp_refunds");
    String before = checksum(local, PROD, "payments.rp_refunds", "id");

    ImportOutcome o = run(m, ImportMode.REPLACE);

    String backup = "payments.rp_refunds_backup_" + SUFFIX;
    assertThat(o.backupTable()).isEqualTo(backup);
    assertThat(o.targetTable()).isEqualTo("payments.rp_refunds");
    assertThat(o.rowsWritten()).isEqualTo(3000);
    assertThat(checksum(local, PROD, "payments.rp_refunds", "id")).isEqualTo(checksum(local, OLD, "payments.rp_refunds", "id"));
    assertThat(checksum(local, PROD, backup, "id")).isEqualTo(before);
    assertThat(count(local, PROD, backup)).isEqualTo(2005);

    ImportOutcome again = run(m, ImportMode.REPLACE);

    assertThat(again.alreadyDone()).isTrue();
    assertThat(again.backupTable()).isEqualTo(backup);
    assertThat(again.rowsWritten()).isEqualTo(3000);
    assertThat(checksum(local, PROD, backup, "id")).isEqualTo(before);
    assertThat(count(local, PROD, "payments.rp_refunds")).isEqualTo(3000);
  }

  @Test
  void replace_ofATableOtherTablesReference_isAConflict_andWritesNothing() throws Exception {
    TableManifest m = exportedThenChanged("rp_parent");
    local.sql(PROD, "create table payments.rp_child (id int primary key, refund_id bigint references payments.rp_parent)");
    local.sql(PROD, "insert into payments.rp_child values (1, 5)");
    String before = checksum(local, PROD, "payments.rp_parent", "id");

    assertThatThrownBy(() -> run(m, ImportMode.REPLACE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.IMPORT_CONFLICT);
          assertThat(e.getMessage()).contains("rp_child_refund_id_fkey on payments.rp_child");
        });
    assertThat(checksum(local, PROD, "payments.rp_parent", "id")).isEqualTo(before);
    assertThat(exists(local, PROD, "payments.rp_parent_backup_" + SUFFIX)).isFalse();
  }

  @Test
  void insertMissing_breakingAUniqueConstraint_isAConflictNamingIt_andWritesNothing() throws Exception {
    TableManifest m = exportedThenChanged("im_unique");
    local.sql(PROD, "update payments.im_unique set amount = 1500 * 1.25 where id = 2500");
    local.sql(PROD, "create unique index im_unique_amount on payments.im_unique (amount) where id <= 3000");
    String before = checksum(local, PROD, "payments.im_unique", "id");

    assertThatThrownBy(() -> run(m, ImportMode.INSERT_MISSING))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.IMPORT_CONFLICT);
          assertThat(e.details()).containsEntry("constraint", "im_unique_amount").containsEntry("sqlState", "23505");
          assertThat(e.getMessage()).contains("im_unique_amount").contains("(amount)=(1875.00)")
              .contains("nothing was written");
        });
    assertThat(checksum(local, PROD, "payments.im_unique", "id")).isEqualTo(before);
  }

  @Test
  void insertMissing_andReplace_keepTheExportedValuesOfIdentityAndGeneratedColumns() throws Exception {
    for (String instance : List.of(OLD, PROD)) {
      local.sql(instance, "create table payments.im_identity (id bigint generated always as identity primary key,"
          + " amount numeric not null, doubled numeric generated always as (amount * 2) stored)");
      local.sql(instance, "insert into payments.im_identity (amount) select g from generate_series(1, 50) g");
    }
    TableManifest m = table(export(local, store, "imp-identity", OLD, ProgressListener.NONE,
        new TableRef("payments", "im_identity")), "im_identity");
    local.sql(PROD, "delete from payments.im_identity where id between 11 and 20");

    assertThat(run(m, ImportMode.INSERT_MISSING).rowsWritten()).isEqualTo(10);
    assertThat(checksum(local, PROD, "payments.im_identity", "id")).isEqualTo(checksum(local, OLD, "payments.im_identity", "id"));

    local.sql(PROD, "delete from payments.im_identity where id > 40");
    assertThat(run(m, ImportMode.REPLACE).rowsWritten()).isEqualTo(50);
    assertThat(checksum(local, PROD, "payments.im_identity", "id")).isEqualTo(checksum(local, OLD, "payments.im_identity", "id"));
  }

  @Test
  void insertMissing_ofATableWithoutPrimaryKey_isRefused() throws Exception {
    for (String instance : List.of(OLD, PROD)) {
      local.sql(instance, "create table payments.im_nokey (account int, amount numeric)");
      local.sql(instance, "insert into payments.im_nokey select g, g from generate_series(1, 100) g");
    }
    TableManifest m = table(export(local, store, "imp-nokey", OLD, ProgressListener.NONE,
        new TableRef("payments", "im_nokey")), "im_nokey");
    local.sql(PROD, "delete from payments.im_nokey where account <= 10");

    assertThatThrownBy(() -> run(m, ImportMode.INSERT_MISSING))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.NO_PRIMARY_KEY));
    assertThat(count(local, PROD, "payments.im_nokey")).isEqualTo(90);
  }

  @Test
  void schemaDrift_isRefused_unlessMatchingColumnsAreAllowed() throws Exception {
    TableManifest m = exportedThenChanged("im_drift");
    local.sql(PROD, "alter table payments.im_drift add column currency text not null default 'EUR'");
    local.sql(PROD, "alter table payments.im_drift drop column created_at");

    for (ImportMode mode : List.of(ImportMode.INSERT_MISSING, ImportMode.REPLACE)) {
      assertThatThrownBy(() -> run(m, mode))
          .isInstanceOfSatisfying(LifeboatException.class, e -> {
            assertThat(e.type()).isEqualTo(ErrorType.SCHEMA_DRIFT);
            assertThat(e.details()).containsEntry("onlyInExport", List.of("created_at"))
                .containsEntry("onlyNow", List.of("currency"));
            assertThat(e.getMessage()).contains("matching-columns");
          });
    }
    assertThat(count(local, PROD, "payments.im_drift")).isEqualTo(2005);

    ImportOutcome o = new TableImporter(store).importTable(local.platform().dataSource(PROD),
        spec(m, ImportMode.INSERT_MISSING, SchemaDriftPolicy.MATCHING_COLUMNS), ProgressListener.NONE);

    assertThat(o.loadedColumns()).containsExactly("id", "order_id", "amount", "note");
    assertThat(o.rowsWritten()).isEqualTo(1000);
    assertThat(count(local, PROD, "payments.im_drift where id between 1001 and 2000 and currency = 'EUR'")).isEqualTo(1000);

    ImportOutcome replaced = new TableImporter(store).importTable(local.platform().dataSource(PROD),
        spec(m, ImportMode.REPLACE, SchemaDriftPolicy.MATCHING_COLUMNS), ProgressListener.NONE);

    assertThat(replaced.rowsWritten()).isEqualTo(3000);
    assertThat(count(local, PROD, "payments.im_drift_backup_" + SUFFIX)).isEqualTo(3005);
    assertThat(checksum(local, PROD, "(select id, order_id, amount, note from payments.im_drift)", "id"))
        .isEqualTo(checksum(local, OLD, "(select id, order_id, amount, note from payments.im_drift)", "id"));
  }

  @Test
  void newTable_ignoresDrift_butInsertMissingIntoAMissingTable_isTableNotFound() throws Exception {
    TableManifest m = exportedThenChanged("gone");
    local.sql(PROD, "drop table payments.gone");

    assertThatThrownBy(() -> run(m, ImportMode.INSERT_MISSING))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.TABLE_NOT_FOUND));
    assertThat(run(m, ImportMode.NEW_TABLE).rowsWritten()).isEqualTo(3000);
  }

  @Test
  void importKilledMidCopy_leavesNoPartialRows_andTheRetrySucceeds() throws Exception {
    for (String instance : List.of(OLD, PROD)) {
      TableFixtures.refunds(local, instance, "killed", 40_000);
    }
    TableManifest m = table(export(local, store, "imp-killed", OLD, ProgressListener.NONE,
        new TableRef("payments", "killed")), "killed");
    local.sql(PROD, "delete from payments.killed where id > 20000");
    assertThat(m.bytes()).isGreaterThan(3L * TableExporter.STREAM_BUFFER);

    for (ImportMode mode : List.of(ImportMode.NEW_TABLE, ImportMode.INSERT_MISSING)) {
      AtomicBoolean killed = new AtomicBoolean();
      ExportStore killing = new KillingStore(store, killed);

      assertThatThrownBy(() -> new TableImporter(killing).importTable(local.platform().dataSource(PROD),
          spec(m, mode, SchemaDriftPolicy.REFUSE), ProgressListener.NONE))
          .as(mode.wireName())
          .isInstanceOf(SQLException.class);

      assertThat(killed).isTrue();
      assertThat(exists(local, PROD, "payments.killed_restored_" + SUFFIX)).isFalse();
      assertThat(count(local, PROD, "payments.killed")).isEqualTo(20_000);
    }

    assertThat(run(m, ImportMode.NEW_TABLE).rowsWritten()).isEqualTo(40_000);
    assertThat(run(m, ImportMode.INSERT_MISSING).rowsWritten()).isEqualTo(20_000);
    assertThat(checksum(local, PROD, "payments.killed", "id")).isEqualTo(checksum(local, OLD, "payments.killed", "id"));
  }

  @Test
  void importBehindAnApplicationLock_givesUpAfterTheLockTimeout_retryably() throws Exception {
    TableManifest m = exportedThenChanged("locked");
    String before = checksum(local, PROD, "payments.locked", "id");
    try (Connection app = local.platform().connection(PROD); Statement st = app.createStatement()) {
      app.setAutoCommit(false);
      st.execute("lock table payments.locked in share mode");

      long t0 = System.nanoTime();
      assertThatThrownBy(() -> new TableImporter(store, Duration.ofMillis(300)).importTable(
          local.platform().dataSource(PROD), spec(m, ImportMode.REPLACE, SchemaDriftPolicy.REFUSE), ProgressListener.NONE))
          .isInstanceOf(TableLockedException.class)
          .hasMessageContaining("lock_timeout").hasMessageContaining("payments.locked");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      app.rollback();
    }
    assertThat(checksum(local, PROD, "payments.locked", "id")).isEqualTo(before);
    assertThat(exists(local, PROD, "payments.locked_backup_" + SUFFIX)).isFalse();
  }

  @Test
  void anObjectThatDoesNotMatchItsManifest_isRefused_andNothingIsWritten() throws Exception {
    TableManifest m = exportedThenChanged("tampered");
    Path file = store.resolve(m.object());
    byte[] bytes = Files.readAllBytes(file);
    byte[] needle = "refund 2999".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int at = indexOf(bytes, needle);
    bytes[at + needle.length - 1] = '8'; // same framing, another value
    Files.write(file, bytes);

    assertThatThrownBy(() -> run(m, ImportMode.INSERT_MISSING))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.EXPORT_NOT_FOUND);
          assertThat(e.getMessage()).contains("does not match its manifest");
        });
    assertThat(count(local, PROD, "payments.tampered")).isEqualTo(2005);

    Files.delete(file);
    assertThatThrownBy(() -> run(m, ImportMode.NEW_TABLE))
        .isInstanceOfSatisfying(LifeboatException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.EXPORT_NOT_FOUND));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  /** A store whose objects, once a few buffers were read, have the importing backend terminated under them. */
  private static final class KillingStore implements ExportStore {
    private final ExportStore store;
    private final AtomicBoolean killed;

    KillingStore(ExportStore store, AtomicBoolean killed) {
      this.store = store;
      this.killed = killed;
    }

    @Override
    public InputStream open(String key) throws IOException {
      return new FilterInputStream(store.open(key)) {
        long read;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (read > 2L * TableExporter.STREAM_BUFFER && killed.compareAndSet(false, true)) {
            try {
              assertThat(one(local, PROD, "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                  + " where query ilike 'copy %from stdin%' and pid <> pg_backend_pid()")).isEqualTo("1");
            } catch (SQLException e) {
              throw new IOException(e);
            }
          }
          int n = super.read(b, off, len);
          read += Math.max(n, 0);
          return n;
        }
      };
    }

    @Override
    public String uri() {
      return store.uri();
    }

    @Override
    public Upload create(String key) throws IOException {
      return store.create(key);
    }

    @Override
    public OptionalLong size(String key) throws IOException {
      return store.size(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
      return store.list(prefix);
    }

    @Override
    public boolean delete(String key) throws IOException {
      return store.delete(key);
    }
  }
}
