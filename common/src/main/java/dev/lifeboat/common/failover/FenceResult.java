package dev.lifeboat.common.failover;

import java.time.Instant;

/**
 * The old primary after fencing: it takes no more writes.
 *
 * @param how {@code stopped} (shut down by Lifeboat), {@code read-only} (could not be stopped,
 *     {@code default_transaction_read_only} set and sessions ended), {@code unreachable} (already
 *     down: nothing to fence), {@code already-fenced} (a retry found it so)
 * @param lastLsn its last WAL position when it was stopped; null when unreachable
 * @param lastCommit the time of its last commit record (WAL order) when known: the data-loss measurement's
 *     reference, the same measure as {@link PromoteResult#lastReplayedCommit()}
 */
public record FenceResult(String instance, String how, String lastLsn, Instant lastCommit, Instant fencedAt) {}
