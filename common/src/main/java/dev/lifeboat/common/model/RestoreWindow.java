package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * The times an instance can be restored to: from the end of its oldest usable snapshot to its
 * newest archived commit, with the snapshots inside and any gaps in the archived WAL.
 * {@code earliest} and {@code latest} are null when nothing is restorable yet.
 */
public record RestoreWindow(
    String instance,
    String region,
    Instant earliest,
    Instant latest,
    List<SnapshotInfo> snapshots,
    List<WalGap> gaps) {

  public boolean contains(Instant target) {
    return earliest != null && latest != null && !target.isBefore(earliest) && !target.isAfter(latest);
  }
}
