package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a table recovery writes the exported rows into production. */
public enum ImportMode {
  /** Into a new table {@code <table>_restored_<yyyymmddhhmm>}; nothing existing is touched. */
  @JsonProperty("new-table") NEW_TABLE,
  /** Rows whose primary key is missing now are inserted; existing rows are left as they are. */
  @JsonProperty("insert-missing") INSERT_MISSING,
  /** Current rows are copied aside into a backup table, then the table is emptied and loaded. */
  @JsonProperty("replace") REPLACE;

  public String wireName() {
    return name().toLowerCase().replace('_', '-');
  }

  /** @throws IllegalArgumentException for a name that is not a mode */
  public static ImportMode fromWireName(String name) {
    for (ImportMode mode : values()) {
      if (mode.wireName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
