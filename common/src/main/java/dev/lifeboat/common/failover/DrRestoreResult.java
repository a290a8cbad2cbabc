package dev.lifeboat.common.failover;

import java.time.Instant;

/**
 * The permanent primary a restore-in-dr failover restored in the DR region.
 *
 * @param alreadyRestored true when a retry found it restored already (nothing was restored again)
 * @param restoredTo the point it was restored to: the newest commit restorable in the region
 * @param systemIdentifier {@code system_identifier} of {@code pg_control_system()} (RDS: null); with the port,
 *     tells it from any other server answering through the pooler
 */
public record DrRestoreResult(String instance, String source, String region, boolean alreadyRestored,
    String snapshotId, Instant restoredTo, long timeline, String systemIdentifier, Instant restoredAt) {}
