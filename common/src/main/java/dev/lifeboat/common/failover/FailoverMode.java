package dev.lifeboat.common.failover;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a failover recovers. */
public enum FailoverMode {
  /** Promote a replica of the failed primary. */
  @JsonProperty("promote-replica") PROMOTE_REPLICA,
  /** Restore a permanent instance in the DR region from the newest copy in a DR region. */
  @JsonProperty("restore-in-dr") RESTORE_IN_DR;

  public String wireName() {
    return name().toLowerCase().replace('_', '-');
  }
}
