package dev.lifeboat.api.views;

import java.util.List;

/**
 * Body of {@code POST /v1/retention}; everything but {@code reason} is optional.
 *
 * @param instances the primaries whose snapshots to expire; every primary of the platform when left out
 * @param retentionPolicy how far back point-in-time restore must reach, e.g. {@code 7d} (the default)
 * @param minimumKept the newest snapshots kept per instance and region whatever their age; 3 when left out
 * @param maxArchiveLag how old the newest restorable time may be, e.g. {@code 10m} (the default)
 * @param dryRun list what would be expired, delete nothing; false when left out
 */
public record RetentionBody(
    List<String> instances,
    String retentionPolicy,
    Integer minimumKept,
    String maxArchiveLag,
    Boolean dryRun,
    String reason) {}
