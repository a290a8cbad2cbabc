package dev.lifeboat.common.model;

import java.time.Duration;

/**
 * A measured RTO or RPO against its target.
 *
 * @param measured null when the drill ended before it could be measured
 * @param met null when not measured
 * @param basis how it was measured, for people
 */
public record DrillMeasure(Duration measured, Duration target, Boolean met, String basis) {}
