package dev.lifeboat.common.failover;

import java.time.Duration;
import java.time.Instant;

/**
 * A replica measured as a failover candidate: what promoting it now would lose. Lag in bytes is
 * {@code pg_wal_lsn_diff(primary's current LSN, replica's replay LSN)}, never the
 * {@code *_lag} columns (they keep their last value on an idle primary).
 *
 * @param primary the instance it replicates from
 * @param primaryReachable whether the primary answered the measurement
 * @param inRecovery false when the replica is already promoted
 * @param lagBytes null when the primary did not answer
 * @param lastReplayedCommit {@code pg_last_xact_replay_timestamp()} of the replica; null before any commit was replayed
 * @param primaryLastCommit the primary's last commit: the time of its last commit record in WAL order (the
 *     same measure as {@code pg_last_xact_replay_timestamp()}: concurrent commits reach the WAL a few ms out of
 *     timestamp order), else {@code pg_last_committed_xact()}; null when the primary did not answer
 * @param expectedDataLoss {@code primaryLastCommit - lastReplayedCommit} (zero when nothing is behind); when the
 *     primary is gone, null: the loss is then only knowable from the archive
 */
public record ReplicaState(
    String replica,
    String primary,
    boolean primaryReachable,
    boolean inRecovery,
    String replayLsn,
    String primaryLsn,
    Long lagBytes,
    Instant lastReplayedCommit,
    Instant primaryLastCommit,
    Duration expectedDataLoss,
    Instant measuredAt) {}
