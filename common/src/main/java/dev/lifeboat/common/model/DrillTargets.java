package dev.lifeboat.common.model;

import java.time.Duration;

/**
 * What a DR drill must achieve.
 *
 * @param rto longest acceptable time from the drill's start to a verified instance
 * @param rpo largest acceptable age of the newest recoverable data against the source
 */
public record DrillTargets(Duration rto, Duration rpo) {}
