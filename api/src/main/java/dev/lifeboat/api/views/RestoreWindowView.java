package dev.lifeboat.api.views;

import dev.lifeboat.common.model.RestoreWindow;
import java.time.Instant;
import java.util.List;

/**
 * The times an instance can be restored to; {@code earliest} and {@code latest} are null when
 * nothing is restorable yet.
 */
public record RestoreWindowView(
    String instance,
    String region,
    Instant earliest,
    Instant latest,
    List<SnapshotView> snapshots,
    List<WalGapView> gaps) {

  public static RestoreWindowView of(RestoreWindow window) {
    return new RestoreWindowView(
        window.instance(),
        window.region(),
        window.earliest(),
        window.latest(),
        window.snapshots() == null ? List.of() : window.snapshots().stream().map(SnapshotView::of).toList(),
        window.gaps() == null ? List.of() : window.gaps().stream().map(WalGapView::of).toList());
  }
}
