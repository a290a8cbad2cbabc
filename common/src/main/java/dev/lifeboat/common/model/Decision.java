package dev.lifeboat.common.model;

/** An approver's answer to a run waiting for approval. */
public record Decision(String by, boolean approve, String comment) {}
