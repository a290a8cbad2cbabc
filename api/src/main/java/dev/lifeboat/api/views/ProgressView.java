package dev.lifeboat.api.views;

/** How far the run is: {@code percent} of the whole run, {@code bytes} of the current step. */
public record ProgressView(Integer percent, Long bytes, String detail) {}
