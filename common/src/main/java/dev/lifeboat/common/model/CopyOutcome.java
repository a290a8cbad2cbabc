package dev.lifeboat.common.model;

/**
 * How the copy of one snapshot to one region ended.
 *
 * @param status {@code succeeded} or {@code failed}
 * @param error the failure type and message when failed
 */
public record CopyOutcome(String region, String status, long bytes, RunError error) {}
