package dev.lifeboat.fakerds;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DB snapshot as the fake shows it: an RDS identifier in one region over a local snapshot
 * ({@code localId}: a copy lands locally under its source's id, so a copy made under another
 * identifier points at the same local snapshot). Immutable; the book replaces it on every change.
 *
 * @param status {@code creating}, {@code copying}, {@code available} or {@code failed}
 * @param createdAt when the fake accepted the request
 * @param startedAt / stoppedAt of the local base backup, once known
 * @param sourceArn for a copy, the ARN of the snapshot it was copied from
 */
record SnapshotRec(
    String region,
    String id,
    String localId,
    String instance,
    String status,
    int percent,
    Instant createdAt,
    Instant startedAt,
    Instant stoppedAt,
    long bytes,
    Map<String, String> tags,
    String kmsKeyId,
    String sourceArn,
    String sourceRegion,
    Instant originalCreateTime,
    String failure) {

  static final String CREATING = "creating";
  static final String COPYING = "copying";
  static final String AVAILABLE = "available";
  static final String FAILED = "failed";

  SnapshotRec {
    tags = Map.copyOf(tags == null ? Map.of() : tags);
  }

  boolean available() {
    return AVAILABLE.equals(status);
  }

  boolean inProgress() {
    return CREATING.equals(status) || COPYING.equals(status);
  }

  SnapshotRec withProgress(String newStatus, int newPercent) {
    return new SnapshotRec(region, id, localId, instance, newStatus, newPercent, createdAt, startedAt, stoppedAt,
        bytes, tags, kmsKeyId, sourceArn, sourceRegion, originalCreateTime, failure);
  }

  /** The local snapshot's times and size; status as given. */
  SnapshotRec withLocal(SnapshotInfo local, String newStatus, int newPercent) {
    return withTimes(local.startedAt(), local.stoppedAt(), local.bytes(), newStatus, newPercent);
  }

  SnapshotRec withTimes(Instant started, Instant stopped, long size, String newStatus, int newPercent) {
    return new SnapshotRec(region, id, localId, instance, newStatus, newPercent, createdAt, started, stopped, size,
        tags, kmsKeyId, sourceArn, sourceRegion, originalCreateTime == null ? started : originalCreateTime, failure);
  }

  SnapshotRec withTags(Map<String, String> added) {
    Map<String, String> all = new LinkedHashMap<>(tags);
    all.putAll(added);
    return new SnapshotRec(region, id, localId, instance, status, percent, createdAt, startedAt, stoppedAt, bytes,
        all, kmsKeyId, sourceArn, sourceRegion, originalCreateTime, failure);
  }

  SnapshotRec failed(String why) {
    return new SnapshotRec(region, id, localId, instance, FAILED, percent, createdAt, startedAt, stoppedAt, bytes,
        tags, kmsKeyId, sourceArn, sourceRegion, originalCreateTime, why);
  }
}
