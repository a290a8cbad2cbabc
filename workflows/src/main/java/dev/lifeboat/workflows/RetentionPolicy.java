package dev.lifeboat.workflows;

import dev.lifeboat.common.model.RetentionDecision;
import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which snapshots of one instance in one region to keep. Time retention as pgBackRest means it:
 * point-in-time restore must reach {@code retention} back, so besides the snapshots inside the
 * window the newest one older than it is kept too (it is the base of restores to the window's
 * start). The newest snapshot is never expired, so no region ever loses its last copy, and the
 * {@code minimumKept} newest stay whatever their age.
 */
final class RetentionPolicy {
  private RetentionPolicy() {}

  static List<RetentionDecision> decide(List<SnapshotInfo> snapshots, Instant now, Duration retention,
      int minimumKept) {
    List<SnapshotInfo> newestFirst = snapshots.stream()
        .filter(s -> "available".equals(s.status()))
        .sorted(Comparator.comparing(SnapshotInfo::stoppedAt).reversed())
        .toList();
    Instant cutoff = now.minus(retention);
    boolean windowBaseKept = false;
    List<RetentionDecision> decisions = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      SnapshotInfo s = newestFirst.get(i);
      String reason;
      if (i == 0) {
        reason = "newest";
      } else if (i < minimumKept) {
        reason = "minimum-kept";
      } else if (!s.stoppedAt().isBefore(cutoff)) {
        reason = "within-retention";
      } else if (!windowBaseKept) {
        reason = "window-base";
      } else {
        reason = null;
      }
      if (s.stoppedAt().isBefore(cutoff) && reason != null) {
        windowBaseKept = true;
      }
      decisions.add(new RetentionDecision(s.region(), s.instance(), s.id(), reason == null ? "expire" : "keep",
          reason == null ? "older-than-retention" : reason));
    }
    return decisions;
  }

  /** The same snapshots, all kept: what would have expired says why it stays. */
  static List<RetentionDecision> keepAll(List<RetentionDecision> decisions, String reason) {
    return decisions.stream()
        .map(d -> "expire".equals(d.action())
            ? new RetentionDecision(d.region(), d.instance(), d.snapshotId(), "keep", reason) : d)
        .toList();
  }
}
