package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * What a point-in-time restore will do: which snapshot it lays down, from which region, and how
 * far it replays.
 *
 * @param region where the snapshot and the WAL come from; null means the platform's home region
 */
public record RestorePlan(String instance, Instant targetTime, String snapshotId, Instant snapshotStoppedAt,
    String region) {}
