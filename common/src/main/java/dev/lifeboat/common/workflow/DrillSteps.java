package dev.lifeboat.common.workflow;

/** Steps of a DR drill, in order, and the run's percent when each one starts. */
public final class DrillSteps {
  public static final String PLAN = "plan";
  public static final String RESTORE = "restore";
  /** A failover drill's restore: the restore-in-dr failover, run as a child on copies. */
  public static final String FAILOVER = "failover";
  public static final String VERIFY = "verify";
  public static final String TEARDOWN = "teardown";
  public static final String REPORT = "report";

  public static final int RESTORE_PERCENT = RestoreSteps.RESTORE_FROM_PERCENT;
  public static final int VERIFY_PERCENT = RestoreSteps.RESTORE_TO_PERCENT;
  public static final int TEARDOWN_PERCENT = 94;
  public static final int REPORT_PERCENT = 98;

  private DrillSteps() {}
}
