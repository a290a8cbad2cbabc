package dev.lifeboat.common.model;

/**
 * Something wrong with an instance's point-in-time window.
 *
 * @param type {@code PITR_WINDOW_STALE} (the newest restorable time lags too far), {@code WAL_GAP}
 *     (archived WAL is missing), {@code PITR_WINDOW_SHORT} (the window does not reach the
 *     retention back yet), {@code NO_SNAPSHOT}
 */
public record PitrFinding(String instance, String region, String type, String message) {
  /** Findings that break recovery now, as opposed to a window still growing to its length. */
  public boolean broken() {
    return !"PITR_WINDOW_SHORT".equals(type);
  }
}
