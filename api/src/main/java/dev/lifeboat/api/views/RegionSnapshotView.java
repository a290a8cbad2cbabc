package dev.lifeboat.api.views;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot in one region, as {@code GET /v1/snapshots} lists it. Kept apart from
 * {@link SnapshotView}, the smaller entry of a restore window.
 *
 * @param ageSeconds since {@code startedAt}; null when the platform does not know when it began
 * @param copies the copies of the same id in the DR regions; empty when listing a DR region
 */
public record RegionSnapshotView(
    String id,
    String instance,
    String region,
    String status,
    Instant startedAt,
    Instant stoppedAt,
    long bytes,
    Long ageSeconds,
    Map<String, String> tags,
    List<SnapshotCopyView> copies) {

  public static RegionSnapshotView of(SnapshotInfo snapshot, Instant now, List<SnapshotCopyView> copies) {
    Long age = snapshot.startedAt() == null ? null : Duration.between(snapshot.startedAt(), now).toSeconds();
    return new RegionSnapshotView(snapshot.id(), snapshot.instance(), snapshot.region(), snapshot.status(),
        snapshot.startedAt(), snapshot.stoppedAt(), snapshot.bytes(), age,
        snapshot.tags() == null ? Map.of() : snapshot.tags(), copies);
  }
}
