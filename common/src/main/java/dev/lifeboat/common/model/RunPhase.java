package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum RunPhase {
  @JsonProperty("pending") PENDING,
  @JsonProperty("running") RUNNING,
  @JsonProperty("waiting-approval") WAITING_APPROVAL,
  @JsonProperty("succeeded") SUCCEEDED,
  @JsonProperty("failed") FAILED,
  @JsonProperty("cancelled") CANCELLED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** The word used in JSON, the catalog and filters. */
  public String wireName() {
    return name().toLowerCase().replace('_', '-');
  }

  public static RunPhase fromWireName(String name) {
    for (RunPhase phase : values()) {
      if (phase.wireName().equals(name)) {
        return phase;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
