package dev.lifeboat.api.views;

/** Body of {@code POST /v1/schedules/{id}/pause}: why, for whoever finds it paused. */
public record PauseBody(String reason) {}
