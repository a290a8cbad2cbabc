package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a DR drill restores in the DR region. */
public enum DrillSource {
  /** The newest snapshot copy in the region, replayed to the newest commit copied with it. */
  @JsonProperty("latest-copy") LATEST_COPY,
  /** The latest restorable time of the region's window, where the platform offers PITR there. */
  @JsonProperty("pitr-latest") PITR_LATEST;

  public String wireName() {
    return name().toLowerCase().replace('_', '-');
  }

  public static DrillSource fromWireName(String name) {
    for (DrillSource source : values()) {
      if (source.wireName().equals(name)) {
        return source;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
