package dev.lifeboat.api.views;

/**
 * Body of {@code POST /v1/drills}. Durations arrive as text so a malformed one is answered with
 * our own message naming the field.
 *
 * @param region a DR region; the platform's first DR region when left out
 * @param source {@code latest-copy} (default) or {@code pitr-latest}
 * @param verification the verification suite; the configured default when left out
 * @param targets RTO and RPO targets; the configured ones for those left out
 */
public record DrillBody(String instance, String region, String source, String verification, DrillTargetsBody targets,
    String reason) {}
