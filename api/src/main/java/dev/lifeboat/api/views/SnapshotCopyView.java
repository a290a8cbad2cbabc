package dev.lifeboat.api.views;

import dev.lifeboat.common.model.SnapshotInfo;

/** The copy of a snapshot in a DR region, under the same id. */
public record SnapshotCopyView(String region, String status, long bytes) {
  public static SnapshotCopyView of(SnapshotInfo copy) {
    return new SnapshotCopyView(copy.region(), copy.status(), copy.bytes());
  }
}
