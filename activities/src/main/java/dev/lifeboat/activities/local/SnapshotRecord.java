package dev.lifeboat.activities.local;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot as stored in {@code regions/<region>/snapshots/<id>/snapshot.json}.
 *
 * @param startSegment the WAL segment the base backup starts in (from its backup_label); replay
 *     from this snapshot needs every archived segment from here on
 * @param timeline the timeline the backup was taken on
 */
public record SnapshotRecord(
    String id,
    String instance,
    String region,
    String status,
    Instant startedAt,
    Instant stoppedAt,
    long bytes,
    Map<String, String> tags,
    String startSegment,
    int timeline) {

  public static final String CREATING = "creating";
  public static final String AVAILABLE = "available";

  public SnapshotRecord {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public boolean available() {
    return AVAILABLE.equals(status);
  }

  public WalSegment start() {
    return WalSegment.parse(startSegment);
  }

  public SnapshotInfo toInfo() {
    return new SnapshotInfo(id, instance, region, status, startedAt, stoppedAt, bytes, tags);
  }
}
