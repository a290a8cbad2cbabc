package dev.lifeboat.activities.tables;

import dev.lifeboat.common.model.ColumnDrift;
import dev.lifeboat.common.model.ColumnInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How exported columns relate to a table's columns now. Columns are matched by name; a column
 * counts as the same when its type (as {@code format_type} prints it) is the same. Only columns
 * the same on both sides are compared or loaded: binary COPY carries values in the exported
 * types, and a value of another type is not the same value.
 */
final class ColumnDrifts {
  private ColumnDrifts() {}

  static ColumnDrift between(List<ColumnInfo> exported, List<ColumnInfo> now) {
    Map<String, ColumnInfo> current = byName(now);
    Map<String, ColumnInfo> before = byName(exported);
    List<String> onlyInExport = new ArrayList<>();
    List<String> typeChanged = new ArrayList<>();
    for (ColumnInfo c : exported) {
      ColumnInfo n = current.get(c.name());
      if (n == null) {
        onlyInExport.add(c.name());
      } else if (!n.type().equals(c.type())) {
        typeChanged.add(c.name() + ": " + c.type() + " -> " + n.type());
      }
    }
    List<String> onlyNow = now.stream().map(ColumnInfo::name).filter(n -> !before.containsKey(n)).toList();
    if (onlyInExport.isEmpty() && onlyNow.isEmpty() && typeChanged.isEmpty()) {
      return ColumnDrift.NONE;
    }
    return new ColumnDrift(List.copyOf(onlyInExport), List.copyOf(onlyNow), List.copyOf(typeChanged));
  }

  /** Exported columns (in export order) that the table has now with the same type. */
  static List<String> matching(List<ColumnInfo> exported, List<ColumnInfo> now) {
    Map<String, ColumnInfo> current = byName(now);
    return exported.stream()
        .filter(c -> current.containsKey(c.name()) && current.get(c.name()).type().equals(c.type()))
        .map(ColumnInfo::name)
        .toList();
  }

  private static Map<String, ColumnInfo> byName(List<ColumnInfo> columns) {
    Map<String, ColumnInfo> m = new LinkedHashMap<>();
    columns.forEach(c -> m.put(c.name(), c));
    return m;
  }
}
