package dev.lifeboat.activities.tables;

import dev.lifeboat.common.model.ColumnInfo;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The query one side of a comparison runs: the key columns (or the row hash) in {@link KeyOrder},
 * then {@code md5} of the compared columns' row text, from the table itself only ({@code ONLY}:
 * rows of inheritance children are theirs, as COPY sees it).
 */
final class RowQuery {
  private final String sql;
  private final KeyOrder order;

  private RowQuery(String sql, KeyOrder order) {
    this.sql = sql;
    this.order = order;
  }

  /** By primary key; {@code compared} must hold the key columns. */
  static RowQuery keyed(TableManifest m, List<String> compared) {
    Map<String, String> types = m.columns().stream().collect(Collectors.toMap(ColumnInfo::name, ColumnInfo::type));
    List<KeyOrder.Kind> kinds = new ArrayList<>();
    StringBuilder select = new StringBuilder("select ");
    StringBuilder orderBy = new StringBuilder(" order by ");
    for (int i = 0; i < m.primaryKey().size(); i++) {
      String column = m.primaryKey().get(i);
      KeyOrder.Kind kind = KeyOrder.kindOf(types.get(column));
      kinds.add(kind);
      String q = Identifiers.quote(column);
      select.append(kind == KeyOrder.Kind.INTEGER ? q : "(" + q + "::text) collate \"C\"").append(", ");
      orderBy.append(i == 0 ? "" : ", ").append(i + 1);
    }
    select.append(rowHash(compared)).append(" from only ").append(Identifiers.quoteQualified(m.table()));
    return new RowQuery(select.append(orderBy).toString(), new KeyOrder(kinds));
  }

  /** By whole-row hash, for tables without a primary key: a multiset of hashes in hash order. */
  static RowQuery byRowHash(TableRef table, List<String> compared) {
    String hash = rowHash(compared);
    return new RowQuery("select " + hash + " collate \"C\", " + hash + " from only " + Identifiers.quoteQualified(table)
        + " order by 1", new KeyOrder(List.of(KeyOrder.Kind.TEXT)));
  }

  /** {@code md5} of the row text of these columns; a constant when there are none. */
  static String rowHash(List<String> columns) {
    return columns.isEmpty() ? "pg_catalog.md5('')"
        : "pg_catalog.md5(row(" + Identifiers.columnList(columns) + ")::text)";
  }

  String sql() {
    return sql;
  }

  KeyOrder order() {
    return order;
  }

  /** Reads this query's rows as a merge side. */
  SortedMerge.Side side(ResultSet rs) {
    int keys = order.size();
    return new SortedMerge.Side() {
      @Override
      public boolean next() throws SQLException {
        return rs.next();
      }

      @Override
      public Object[] key() throws SQLException {
        Object[] key = new Object[keys];
        for (int i = 0; i < keys; i++) {
          key[i] = order.kind(i) == KeyOrder.Kind.INTEGER ? (Object) rs.getLong(i + 1) : rs.getString(i + 1);
        }
        return key;
      }

      @Override
      public String hash() throws SQLException {
        return rs.getString(keys + 1);
      }
    };
  }
}
