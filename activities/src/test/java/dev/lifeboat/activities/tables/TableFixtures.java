package dev.lifeboat.activities.tables;

import dev.lifeboat.activities.testing.TestLocalPlatform;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.ExportSpec;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Tables with known rows on local instances, and what the table-copy tests check them with. */
final class TableFixtures {
  static final Instant POINT_IN_TIME = Instant.parse("2026-11-24T10:31:00Z");

  private TableFixtures() {}

  /**
   * {@code payments.<name>}: {@code rows} rows with ids 1..rows, the same on every instance it is
   * made on; a bigint key, a numeric, a nullable text, a timestamptz.
   */
  static void refunds(TestLocalPlatform local, String instance, String name, int rows) throws SQLException {
    TableRef t = new TableRef("payments", name);
    String q = Identifiers.quoteQualified(t);
    local.sql(instance, "create schema if not exists payments");
    local.sql(instance, "create table " + q + " (id bigint primary key, order_id int not null,"
        + " amount numeric(12,2) not null, note text, created_at timestamptz not null)");
    local.sql(instance, "insert into " + q + " select g, g % 97, g * 1.25, case when g % 10 = 0 then null"
        + " else 'refund ' || g end, timestamptz '2026-11-01 00:00+00' + g * interval '1 minute'"
        + " from generate_series(1, " + rows + ") g");
  }

  /** An MD5 over all rows in key order: equal tables, equal checksums. */
  static String checksum(TestLocalPlatform local, String instance, String table, String orderBy) throws SQLException {
    return one(local, instance, "select coalesce(md5(string_agg(t::text, '|' order by " + orderBy + ")), 'empty')"
        + " from " + table + " t");
  }

  static long count(TestLocalPlatform local, String instance, String table) throws SQLException {
    return Long.parseLong(one(local, instance, "select count(*) from " + table));
  }

  static String one(TestLocalPlatform local, String instance, String sql) throws SQLException {
    try (Connection c = local.platform().connection(instance); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  static boolean exists(TestLocalPlatform local, String instance, String table) throws SQLException {
    return "t".equals(one(local, instance, "select to_regclass('" + table.replace("'", "''") + "') is not null"));
  }

  static ExportManifest export(TestLocalPlatform local, ExportStore store, String runId, String instance,
      ProgressListener progress, TableRef... tables) throws Exception {
    return new TableExporter(store, Clock.systemUTC()).export(local.platform().dataSource(instance),
        new ExportSpec(runId, instance, "prod", POINT_IN_TIME, List.of(tables), Instant.now().plus(Duration.ofDays(7))),
        progress);
  }

  static TableManifest table(ExportManifest manifest, String name) {
    return manifest.tables().stream().filter(t -> t.table().name().equals(name)).findFirst().orElseThrow();
  }

  /** Remembers every progress report. */
  static final class Recording implements ProgressListener {
    final List<String> details = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> percents = Collections.synchronizedList(new ArrayList<>());
    final List<Long> bytes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void progress(String detail, Integer percent, Long bytes) {
      details.add(detail);
      percents.add(percent);
      this.bytes.add(bytes);
    }
  }
}
