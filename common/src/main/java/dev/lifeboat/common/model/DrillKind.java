package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a DR drill rehearses. */
public enum DrillKind {
  /** Restore a copy in the DR region into a temporary instance and verify it. */
  @JsonProperty("restore") RESTORE,
  /**
   * Run the restore-in-dr failover itself on copies in the DR region: a temporary primary restored
   * there, its replica, and a pooler entry of the drill's own switched to it; production's primary,
   * replicas and pooler entries are never touched.
   */
  @JsonProperty("failover") FAILOVER;

  public String wireName() {
    return name().toLowerCase();
  }

  public static DrillKind fromWireName(String name) {
    for (DrillKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
