package dev.lifeboat.common.failover;

import java.time.Duration;
import java.time.Instant;

/**
 * What a DR region holds of a primary, measured before a restore-in-dr failover: the copy a restore
 * would start from and the newest point its WAL reaches there.
 *
 * @param snapshotId the newest available copy in the region
 * @param copyStoppedAt when that copy's backup ended
 * @param copyAge {@code measuredAt - copyStoppedAt}
 * @param newestRestorable the newest point restorable in the region (the copy, plus the WAL copied with it)
 * @param primaryReachable whether the old primary answered the measurement
 * @param primaryLastCommit the old primary's newest commit when it answered; null otherwise
 * @param expectedDataLoss {@code primaryLastCommit} (or, when the primary is gone, {@code measuredAt}: an upper
 *     bound) minus {@code newestRestorable}; zero when nothing is behind
 */
public record DrCopyState(
    String instance,
    String region,
    String snapshotId,
    Instant copyStoppedAt,
    Duration copyAge,
    Instant newestRestorable,
    boolean primaryReachable,
    Instant primaryLastCommit,
    Duration expectedDataLoss,
    Instant measuredAt) {

  /** From what was found: the age and the expected loss follow from the times. */
  public static DrCopyState of(String instance, String region, String snapshotId, Instant copyStoppedAt,
      Instant newestRestorable, Instant primaryLastCommit, boolean primaryReachable, Instant measuredAt) {
    Instant lossFrom = primaryLastCommit != null ? primaryLastCommit : measuredAt;
    Duration loss = newestRestorable == null || !lossFrom.isAfter(newestRestorable) ? Duration.ZERO
        : Duration.between(newestRestorable, lossFrom);
    Duration age = copyStoppedAt == null ? null : Duration.between(copyStoppedAt, measuredAt);
    return new DrCopyState(instance, region, snapshotId, copyStoppedAt, age, newestRestorable, primaryReachable,
        primaryLastCommit, loss, measuredAt);
  }
}
