package dev.lifeboat.common.failover;

import java.time.Instant;

/**
 * A replica after promotion: a primary on a new timeline.
 *
 * @param alreadyPromoted true when a retry found it promoted already (nothing was done again)
 * @param timeline its new timeline id
 * @param systemIdentifier {@code system_identifier} of {@code pg_control_system()}: the same cluster lineage as
 *     the old primary, which lets a check through PgBouncer tell the new primary from any other server
 * @param lastReplayedCommit the last commit it replayed before promotion ({@code pg_last_xact_replay_timestamp()},
 *     WAL order; the data-loss measurement)
 */
public record PromoteResult(String instance, boolean alreadyPromoted, long timeline, String systemIdentifier,
    Instant lastReplayedCommit, Instant promotedAt) {}
