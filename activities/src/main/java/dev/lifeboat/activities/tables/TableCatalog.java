package dev.lifeboat.activities.tables;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ColumnInfo;
import dev.lifeboat.common.model.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Looks tables up in {@code pg_catalog} by bind parameters only: the gate every table name passes
 * before any SQL names it. Free of Temporal, so the API validates names with it before a run starts.
 *
 * <p>What counts as a table to recover: an ordinary table ({@code relkind 'r'}), logged or
 * unlogged, <em>including a partition</em> of a partitioned table: a partition holds rows, COPY
 * reads and writes it directly, and an insert into it is checked against its partition bound. A
 * partitioned parent ({@code 'p'}) holds no rows of its own and is refused with its partitions
 * named; views, materialized views, foreign tables, sequences, system catalogs and other
 * sessions' temporary tables are refused too.
 */
public final class TableCatalog {
  /** Schemas whose tables are never recovered. */
  private static final List<String> SYSTEM_SCHEMAS = List.of("pg_catalog", "information_schema", "pg_toast");
  private static final int PARTITIONS_NAMED = 10;

  private TableCatalog() {}

  /**
   * A relation found in {@code pg_catalog}.
   *
   * @param kind {@code relkind}: r table, p partitioned table, v view, m materialized view, f foreign table...
   * @param estimatedRows {@code reltuples}, -1 when the table was never analyzed
   */
  public record Relation(TableRef table, long oid, char kind, char persistence, boolean partition, long estimatedRows) {}

  /** The relation of that name, whatever its kind. */
  public static Optional<Relation> find(Connection c, TableRef table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        select c.oid::bigint, c.relkind, c.relpersistence, c.relispartition, c.reltuples::bigint
          from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ? and c.relname = ?""")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Relation(table, rs.getLong(1), rs.getString(2).charAt(0), rs.getString(3).charAt(0),
            rs.getBoolean(4), rs.getLong(5)));
      }
    }
  }

  /**
   * The table, when it is one Lifeboat can recover.
   *
   * @throws LifeboatException TABLE_NOT_FOUND, NOT_A_PLAIN_TABLE
   */
  public static Relation check(Connection c, TableRef table) throws SQLException {
    Relation r = find(c, table).orElseThrow(() -> new LifeboatException(ErrorType.TABLE_NOT_FOUND,
        "Table " + table.display() + " does not exist" + schemaHint(c, table) + ".", details(table, null)));
    if (SYSTEM_SCHEMAS.contains(table.schema()) || table.schema().startsWith("pg_temp_")
        || table.schema().startsWith("pg_toast_temp_") || r.persistence() == 't') {
      throw new LifeboatException(ErrorType.NOT_A_PLAIN_TABLE, table.display()
          + " is a system catalog or a temporary table; only ordinary user tables can be recovered.",
          details(table, "system or temporary"));
    }
    switch (r.kind()) {
      case 'r':
        return r;
      case 'p': {
        List<TableRef> parts = partitions(c, r.oid());
        String named = parts.isEmpty() ? "it has no partitions"
            : "recover its partitions instead: " + String.join(", ", parts.stream().limit(PARTITIONS_NAMED)
                .map(TableRef::display).toList()) + (parts.size() > PARTITIONS_NAMED ? ", ..." : "");
        Map<String, Object> d = details(table, "partitioned table");
        d.put("partitions", parts.stream().map(TableRef::display).toList());
        throw new LifeboatException(ErrorType.NOT_A_PLAIN_TABLE, table.display()
            + " is a partitioned table, which holds no rows of its own; " + named + ".", d);
      }
      default:
        String kind = kindName(r.kind());
        throw new LifeboatException(ErrorType.NOT_A_PLAIN_TABLE, table.display() + " is a " + kind
            + ", not a table; only ordinary tables (and partitions) can be recovered.", details(table, kind));
    }
  }

  /**
   * Checks each table on one instance; returns them in order, without duplicates.
   *
   * @throws LifeboatException TABLE_NOT_FOUND, NOT_A_PLAIN_TABLE for the first bad one
   */
  public static List<TableRef> resolve(DataSource instance, List<TableRef> tables) throws SQLException {
    List<TableRef> resolved = new ArrayList<>();
    try (Connection c = instance.getConnection()) {
      for (TableRef table : tables) {
        check(c, table);
        if (!resolved.contains(table)) {
          resolved.add(table);
        }
      }
    }
    return resolved;
  }

  /**
   * Columns in their table order, with types as {@code format_type} prints them. Dropped columns
   * are not columns; generated columns are left out too: COPY can neither read (PostgreSQL 15)
   * nor write them, and a table recomputes them.
   */
  public static List<ColumnInfo> columns(Connection c, long oid) throws SQLException {
    List<ColumnInfo> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("""
        select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull
          from pg_catalog.pg_attribute a
         where a.attrelid = ? and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
         order by a.attnum""")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(new ColumnInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
        }
      }
    }
    return columns;
  }

  /** Primary key columns in key order; empty when the table has no primary key. */
  public static List<String> primaryKey(Connection c, long oid) throws SQLException {
    List<String> key = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("""
        select a.attname
          from pg_catalog.pg_index i
          cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where i.indrelid = ? and i.indisprimary
         order by k.ord""")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          key.add(rs.getString(1));
        }
      }
    }
    return key;
  }

  /** Foreign keys of <em>other</em> tables that reference this one, as {@code constraint on table}. */
  public static List<String> referencedBy(Connection c, long oid) throws SQLException {
    List<String> found = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("""
        select con.conname, n.nspname, r.relname
          from pg_catalog.pg_constraint con
          join pg_catalog.pg_class r on r.oid = con.conrelid
          join pg_catalog.pg_namespace n on n.oid = r.relnamespace
         where con.contype = 'f' and con.confrelid = ? and con.conrelid <> con.confrelid
         order by 2, 3, 1""")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1) + " on " + new TableRef(rs.getString(2), rs.getString(3)).display());
        }
      }
    }
    return found;
  }

  /** The comment on a relation ({@code obj_description}), or null. */
  static String comment(Connection c, long oid) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select pg_catalog.obj_description(?::oid, 'pg_class')")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static List<TableRef> partitions(Connection c, long oid) throws SQLException {
    List<TableRef> parts = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("""
        select n.nspname, r.relname
          from pg_catalog.pg_inherits i
          join pg_catalog.pg_class r on r.oid = i.inhrelid
          join pg_catalog.pg_namespace n on n.oid = r.relnamespace
         where i.inhparent = ?
         order by 1, 2""")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          parts.add(new TableRef(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return parts;
  }

  private static String schemaHint(Connection c, TableRef table) {
    try (PreparedStatement ps = c.prepareStatement("select 1 from pg_catalog.pg_namespace where nspname = ?")) {
      ps.setString(1, table.schema());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? "" : " (there is no schema named '" + table.schema() + "')";
      }
    } catch (SQLException e) {
      return "";
    }
  }

  private static String kindName(char kind) {
    return switch (kind) {
      case 'v' -> "view";
      case 'm' -> "materialized view";
      case 'f' -> "foreign table";
      case 'S' -> "sequence";
      case 'i', 'I' -> "index";
      case 'c' -> "composite type";
      case 't' -> "TOAST table";
      default -> "relation of kind '" + kind + "'";
    };
  }

  private static Map<String, Object> details(TableRef table, String kind) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("table", table.display());
    if (kind != null) {
      d.put("kind", kind);
    }
    return d;
  }
}
