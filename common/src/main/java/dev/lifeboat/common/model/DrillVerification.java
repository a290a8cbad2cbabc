package dev.lifeboat.common.model;

import java.time.Instant;
import java.util.List;

/**
 * What the verification suite found on a drill instance.
 *
 * @param newestData the newest row timestamp the suite's freshness query found on the drill
 *     instance; null without a freshness query (or when it found no rows)
 */
public record DrillVerification(List<DrillCheck> checks, Instant newestData) {
  public DrillVerification {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }
}
