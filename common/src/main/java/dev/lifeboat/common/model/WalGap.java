package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * Archived WAL that is missing: no restore can cross it.
 *
 * @param missingFrom first missing segment
 * @param missingTo last missing segment
 * @param from time of the newest commit before the gap, when known
 * @param to time the segment after the gap was archived, when known
 */
public record WalGap(String missingFrom, String missingTo, Instant from, Instant to) {}
