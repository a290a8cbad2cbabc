package dev.lifeboat.api.views;

/** Body of {@code POST /v1/runs/{id}/approve} and {@code /reject}: optional, a comment for the record. */
public record DecisionBody(String comment) {}
