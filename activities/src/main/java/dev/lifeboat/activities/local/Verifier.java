package dev.lifeboat.activities.local;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.VerifyResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Connects to an instance and counts rows, table by table: exactly up to
 * {@link #EXACT_COUNT_MAX_BYTES} per table, the planner's estimate above (a full scan of a
 * freshly restored table also sets hint bits and prunes every page it reads, writing WAL: about
 * 2.5 s for 650 MB here, and it grows with the database while the restore's endpoint waits). Table
 * names come from pg_catalog and are quoted by the server ({@code format('%I.%I')}); the caller's
 * schema name is only ever a bind parameter. Public so every platform (local, RDS) verifies a
 * restore the same way.
 */
public final class Verifier {
  /** Tables up to this size (all partitions together) are counted exactly. */
  public static final long EXACT_COUNT_MAX_BYTES = 64L * 1024 * 1024;

  /**
   * Per table: its size and the planner's estimate of its rows, summed over the leaf partitions of
   * a partitioned table. The estimate is what the planner would assume (the density of the last
   * VACUUM or ANALYZE times the current number of pages); null when one leaf was never analysed.
   */
  private static final String TABLES = """
      select n.nspname, c.relname, format('%I.%I', n.nspname, c.relname), s.bytes, s.estimate
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        cross join lateral (
          select coalesce(sum(l.bytes), 0)::bigint as bytes,
                 case when bool_or(l.estimate is null) then null else coalesce(sum(l.estimate), 0) end::bigint
                   as estimate
            from (select pg_catalog.pg_relation_size(p.oid) as bytes,
                         case when p.reltuples < 0 then null
                              when p.relpages = 0 then case when pg_catalog.pg_relation_size(p.oid) = 0 then 0 end
                              else round(p.reltuples / p.relpages * (pg_catalog.pg_relation_size(p.oid)
                                  / current_setting('block_size')::bigint))
                         end as estimate
                    -- the table itself, or its leaf partitions (pg_partition_tree has no rows for a plain table)
                    from (select c.oid as relid
                          union all
                          select t.relid from pg_catalog.pg_partition_tree(c.oid) t where t.isleaf) r
                    join pg_catalog.pg_class p on p.oid = r.relid
                   where p.relkind = 'r') l
        ) s
       where c.relkind in ('r', 'p')
         and not c.relispartition
         and n.nspname not in ('pg_catalog', 'information_schema')
         and n.nspname not like 'pg\\_toast%'
         and n.nspname not like 'pg\\_temp%'
         and (?::text is null or n.nspname = ?::text)
       order by 1, 2""";

  private Verifier() {}

  static VerifyResult verify(InstanceRecord record, String schema) {
    return verify(record.id(), Jdbc.dataSource(record.port(), record.database()), schema);
  }

  /**
   * Counts the rows of the user tables of {@code schema} (all user schemas when null) through
   * {@code dataSource}; a failure is a PLATFORM_ERROR naming {@code instanceId}.
   */
  public static VerifyResult verify(String instanceId, DataSource dataSource, String schema) {
    return verify(instanceId, dataSource, schema, EXACT_COUNT_MAX_BYTES);
  }

  static VerifyResult verify(String instanceId, DataSource dataSource, String schema, long exactCountMaxBytes) {
    try (Connection c = dataSource.getConnection()) {
      String version = Jdbc.queryString(c, "show server_version");
      boolean inRecovery = "t".equals(Jdbc.queryString(c, "select pg_is_in_recovery()"));
      Map<String, Long> counts = new LinkedHashMap<>();
      Map<String, Long> estimated = new LinkedHashMap<>();
      for (Table table : tables(c, schema)) {
        if (table.estimate() != null && table.bytes() > exactCountMaxBytes) {
          estimated.put(table.name(), table.estimate());
          continue;
        }
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("select count(*) from " + table.quoted())) {
          rs.next();
          counts.put(table.name(), rs.getLong(1));
        }
      }
      return new VerifyResult(version, inRecovery, counts, estimated);
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Cannot verify " + instanceId + ": " + e.getMessage(),
          LocalContext.details("instance", instanceId, "schema", schema), e);
    }
  }

  /** @param name "schema.table" @param quoted for SQL @param estimate null: the planner has none */
  private record Table(String name, String quoted, long bytes, Long estimate) {}

  private static List<Table> tables(Connection c, String schema) throws SQLException {
    List<Table> tables = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(TABLES)) {
      ps.setString(1, schema);
      ps.setString(2, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long estimate = rs.getLong(5);
          Long known = rs.wasNull() ? null : estimate;
          tables.add(new Table(rs.getString(1) + "." + rs.getString(2), rs.getString(3), rs.getLong(4), known));
        }
      }
    }
    return tables;
  }
}
