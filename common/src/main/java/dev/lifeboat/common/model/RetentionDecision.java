package dev.lifeboat.common.model;

/**
 * What retention decided for one snapshot.
 *
 * @param action {@code keep}, {@code expire} (dry run: would be deleted) or {@code deleted}
 * @param reason why, for people: {@code newest}, {@code minimum-kept}, {@code within-retention},
 *     {@code window-base}, {@code older-than-retention}
 */
public record RetentionDecision(String region, String instance, String snapshotId, String action, String reason) {}
