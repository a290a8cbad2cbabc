package dev.lifeboat.api.views;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;

/** A snapshot inside a restore window; {@code stoppedAt} is the earliest time a restore from it may target. */
public record SnapshotView(String id, Instant startedAt, Instant stoppedAt, long bytes, String status) {
  public static SnapshotView of(SnapshotInfo snapshot) {
    return new SnapshotView(snapshot.id(), snapshot.startedAt(), snapshot.stoppedAt(), snapshot.bytes(),
        snapshot.status());
  }
}
