package dev.lifeboat.common.model;

import java.time.Instant;

/** What a point-in-time restore will do: which snapshot it lays down and how far it replays. */
public record RestorePlan(String instance, Instant targetTime, String snapshotId, Instant snapshotStoppedAt) {}
