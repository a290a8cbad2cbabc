package dev.lifeboat.api.views;

/** Optional body of {@code POST /v1/runs/{id}/release}. */
public record ReleaseBody(String reason) {}
