package dev.lifeboat.common.model;

import java.util.List;

/**
 * How the exported columns differ from the current table's.
 *
 * @param onlyInExport columns the export has and the current table lacks
 * @param onlyNow columns the current table has and the export lacks
 * @param typeChanged columns both have, with another type now, as {@code name: old -> new}
 */
public record ColumnDrift(List<String> onlyInExport, List<String> onlyNow, List<String> typeChanged) {
  public static final ColumnDrift NONE = new ColumnDrift(List.of(), List.of(), List.of());

  public boolean drifted() {
    return !onlyInExport.isEmpty() || !onlyNow.isEmpty() || !typeChanged.isEmpty();
  }
}
