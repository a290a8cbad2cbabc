package dev.lifeboat.common.model;

/** Why a run failed: {@code type} is an {@link dev.lifeboat.common.ErrorType} name. */
public record RunError(String type, String message) {}
