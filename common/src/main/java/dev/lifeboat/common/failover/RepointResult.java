package dev.lifeboat.common.failover;

/**
 * Another replica of the old primary, after the promotion.
 *
 * @param how {@code followed} (now streams from the new primary on its new timeline,
 *     {@code recovery_target_timeline = latest}), {@code rebuilt} (a fresh base backup of the new
 *     primary, when it could not follow), {@code already-following} (a retry found it so)
 */
public record RepointResult(String replica, String newPrimary, String how) {}
