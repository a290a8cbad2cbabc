package dev.lifeboat.api.views;

/** {@code targets} of a drill request: ISO-8601 ({@code PT1H}) or short ({@code 15m}) durations. */
public record DrillTargetsBody(String rto, String rpo) {}
