package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum InstanceRole {
  @JsonProperty("primary") PRIMARY,
  @JsonProperty("replica") REPLICA,
  /**
   * A primary a failover replaced: fenced (stopped or read-only) and never started again by the
   * platform; its snapshots and archived WAL still restore times before the failover.
   */
  @JsonProperty("former-primary") FORMER_PRIMARY,
  /** Created by a Lifeboat run (restore, drill); always has an owner run and an expiry. */
  @JsonProperty("temporary") TEMPORARY,
  /** Lifeboat's own infrastructure, such as the dev catalog; never restored or deleted by a run. */
  @JsonProperty("internal") INTERNAL
}
