package dev.lifeboat.common.workflow;

/** Steps of a failover, in order, and the run's percent when each one starts. */
public final class FailoverSteps {
  public static final String PREFLIGHT = "preflight";
  public static final String APPROVAL = "approval";
  public static final String FENCE = "fence";
  public static final String PROMOTE = "promote";
  public static final String REPOINT = "repoint";
  /** restore-in-dr: the permanent primary restored in the DR region. */
  public static final String RESTORE = "restore";
  /** restore-in-dr: the analytics replica recreated there. */
  public static final String REPLICA = "replica";
  public static final String SWITCH = "switch";
  public static final String REPORT = "report";

  public static final int APPROVAL_PERCENT = 10;
  public static final int FENCE_PERCENT = 20;
  public static final int PROMOTE_PERCENT = 35;
  public static final int REPOINT_PERCENT = 55;
  public static final int RESTORE_PERCENT = 30;
  public static final int REPLICA_PERCENT = 60;
  public static final int SWITCH_PERCENT = 75;
  public static final int REPORT_PERCENT = 95;

  private FailoverSteps() {}
}
