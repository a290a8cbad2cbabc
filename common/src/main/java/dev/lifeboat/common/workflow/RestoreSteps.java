package dev.lifeboat.common.workflow;

/**
 * Steps of a point-in-time restore, in order, with the share of the run's percent each one
 * covers: workflows and activities report the same numbers.
 */
public final class RestoreSteps {
  public static final String VALIDATE = "validate";
  public static final String RESTORE = "restore";
  public static final String VERIFY = "verify";
  public static final String HOLD = "hold";
  public static final String TEARDOWN = "teardown";

  /** The restore step (lay down the snapshot, replay WAL, promote) runs from this percent ... */
  public static final int RESTORE_FROM_PERCENT = 5;
  /** ... to this one. */
  public static final int RESTORE_TO_PERCENT = 85;
  public static final int VERIFY_PERCENT = 90;

  private RestoreSteps() {}

  /** The run's percent when the restore step itself is {@code stepPercent} done. */
  public static int restorePercent(int stepPercent) {
    int clamped = Math.max(0, Math.min(100, stepPercent));
    return RESTORE_FROM_PERCENT + (RESTORE_TO_PERCENT - RESTORE_FROM_PERCENT) * clamped / 100;
  }
}
