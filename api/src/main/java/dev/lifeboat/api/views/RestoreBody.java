package dev.lifeboat.api.views;

/**
 * Body of {@code POST /v1/restores}. Times and durations arrive as text so a malformed one is
 * answered with our own message naming the field and the expected format.
 *
 * @param targetTime ISO-8601 with {@code Z} or an offset
 * @param ttl optional, ISO-8601 ({@code PT2H}) or short ({@code 90m}, {@code 2h})
 * @param schema optional, verify this schema only
 */
public record RestoreBody(String instance, String targetTime, String ttl, String reason, String schema) {}
