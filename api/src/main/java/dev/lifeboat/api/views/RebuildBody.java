package dev.lifeboat.api.views;

/**
 * Body of {@code POST /v1/instances/{id}/rebuild}.
 *
 * @param newPrimary the primary to rebuild the former primary from; the one a failover promoted in its place when
 *     left out
 */
public record RebuildBody(String newPrimary, String reason) {}
