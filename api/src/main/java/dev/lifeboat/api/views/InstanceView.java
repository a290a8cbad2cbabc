package dev.lifeboat.api.views;

import dev.lifeboat.common.model.InstanceInfo;
import java.time.Instant;
import java.util.Locale;

/**
 * A managed or temporary instance.
 *
 * @param role {@code primary}, {@code replica}, {@code temporary} or {@code internal}
 * @param source for a replica its primary, for a temporary instance the instance it was restored from
 * @param runId for a temporary instance the run that owns it
 */
public record InstanceView(
    String id,
    String platform,
    String region,
    String role,
    String status,
    EndpointView endpoint,
    String source,
    String runId,
    Instant createdAt,
    Instant expiresAt) {

  public static InstanceView of(InstanceInfo instance) {
    return new InstanceView(
        instance.id(),
        instance.platform(),
        instance.region(),
        instance.role() == null ? null : instance.role().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        instance.status(),
        EndpointView.of(instance.endpoint()),
        instance.source(),
        instance.runId(),
        instance.createdAt(),
        instance.expiresAt());
  }
}
