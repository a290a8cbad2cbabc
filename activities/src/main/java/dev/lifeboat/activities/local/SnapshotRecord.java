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
 * @param checksum {@code sha256:<hex>} of the backup's {@code backup_manifest}, whose entries give
 *     the size and checksum of every file of the backup: a copy whose manifest has this checksum
 *     and whose files match their manifest entries is the same backup; null for snapshots taken
 *     before checksums were recorded (computed on their first copy)
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
    int timeline,
    String checksum) {

  public static final String CREATING = "creating";
  public static final String AVAILABLE = "available";
  /** Found damaged by a restore (its files do not match its manifest): never planned from again. */
  public static final String DAMAGED = "damaged";

  public SnapshotRecord {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** Without a checksum (added by {@link SnapshotChecksum#ensure} once the backup is complete). */
  public SnapshotRecord(String id, String instance, String region, String status, Instant startedAt,
      Instant stoppedAt, long bytes, Map<String, String> tags, String startSegment, int timeline) {
    this(id, instance, region, status, startedAt, stoppedAt, bytes, tags, startSegment, timeline, null);
  }

  public SnapshotRecord withChecksum(String newChecksum) {
    return new SnapshotRecord(id, instance, region, status, startedAt, stoppedAt, bytes, tags, startSegment, timeline,
        newChecksum);
  }

  /** This snapshot as a copy in another region: same id, times, WAL position and checksum. */
  public SnapshotRecord copyIn(String targetRegion, Map<String, String> newTags) {
    return new SnapshotRecord(id, instance, targetRegion, AVAILABLE, startedAt, stoppedAt, bytes, newTags, startSegment,
        timeline, checksum);
  }

  public SnapshotRecord withStatus(String newStatus) {
    return new SnapshotRecord(id, instance, region, newStatus, startedAt, stoppedAt, bytes, tags, startSegment,
        timeline, checksum);
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
