package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an import does when the exported columns differ from the current table's. */
public enum SchemaDriftPolicy {
  /** Refuse {@code insert-missing} and {@code replace} (the default); {@code new-table} is never affected. */
  @JsonProperty("refuse") REFUSE,
  /** Load the columns both sides have with the same type; the others take their defaults. */
  @JsonProperty("matching-columns") MATCHING_COLUMNS;

  public String wireName() {
    return name().toLowerCase().replace('_', '-');
  }

  public static SchemaDriftPolicy fromWireName(String name) {
    for (SchemaDriftPolicy policy : values()) {
      if (policy.wireName().equals(name)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
