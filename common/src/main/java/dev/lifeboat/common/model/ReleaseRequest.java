package dev.lifeboat.common.model;

/** Who releases a restored instance, and why. */
public record ReleaseRequest(String by, String reason) {}
