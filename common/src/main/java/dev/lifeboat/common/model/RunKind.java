package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum RunKind {
  @JsonProperty("restore") RESTORE,
  @JsonProperty("table-recovery") TABLE_RECOVERY,
  @JsonProperty("snapshot") SNAPSHOT,
  @JsonProperty("copy") COPY,
  @JsonProperty("retention") RETENTION,
  @JsonProperty("drill") DRILL,
  @JsonProperty("failover") FAILOVER,
  @JsonProperty("rebuild") REBUILD,
  @JsonProperty("reaper") REAPER;

  public String wireName() {
    return name().toLowerCase().replace('_', '-');
  }

  public static RunKind fromWireName(String name) {
    for (RunKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
