package dev.lifeboat.common.model;

import java.time.Duration;
import java.time.Instant;

/**
 * What a DR drill will do, decided before anything is created: the suite and targets in force,
 * the copy it restores and the point it replays to, and the source's newest data at the start.
 *
 * @param compareOn the analytics replica the source's current data is read from; null when the
 *     suite reads nothing from the source
 * @param snapshotId the snapshot copy laid down in {@code region}
 * @param restoreTo the point in time the restore replays to
 * @param sourceNewest the source's newest data when the drill started (RPO reference); null when unknown
 * @param sourceNewestBasis how {@code sourceNewest} was found, for people
 * @param instanceTtl expiry of the drill instance after the drill's start: a guard for the reaper
 * @param detail why this copy and this point, for people (the plan step shows it)
 */
public record DrillPlan(
    String instance,
    String region,
    DrillSource source,
    VerificationSuite suite,
    DrillTargets targets,
    String compareOn,
    String snapshotId,
    Instant snapshotStoppedAt,
    Instant restoreTo,
    Instant sourceNewest,
    String sourceNewestBasis,
    Duration instanceTtl,
    String detail) {}
