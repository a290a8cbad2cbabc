package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * A database instance as a platform sees it.
 *
 * @param source for a replica its primary, for a temporary instance the instance it was restored from
 * @param runId for a temporary instance the run that owns it
 * @param status {@code available}, {@code stopped}, {@code creating} or {@code deleting}
 */
public record InstanceInfo(
    String id,
    String platform,
    String region,
    InstanceRole role,
    String status,
    Endpoint endpoint,
    String source,
    String runId,
    Instant createdAt,
    Instant expiresAt) {

  public boolean temporary() {
    return role == InstanceRole.TEMPORARY;
  }
}
