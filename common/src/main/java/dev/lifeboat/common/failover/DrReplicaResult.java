package dev.lifeboat.common.failover;

import java.time.Instant;

/**
 * A replica recreated in the DR region, streaming from the primary restored there.
 *
 * @param replaces the old primary's replica it stands in for
 * @param how {@code created}, or {@code already-streaming} (a retry found it so)
 */
public record DrReplicaResult(String replica, String primary, String replaces, String how, Instant streamingSince) {}
