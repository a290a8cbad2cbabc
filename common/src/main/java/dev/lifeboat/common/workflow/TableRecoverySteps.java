package dev.lifeboat.common.workflow;

/**
 * Steps of a table recovery, in order, with the share of the run's percent each covers: the
 * workflow and the activities report the same numbers.
 */
public final class TableRecoverySteps {
  public static final String VALIDATE = "validate";
  public static final String RESTORE = "restore";
  public static final String EXPORT = "export";
  public static final String COMPARE = "compare";
  public static final String TEARDOWN = "teardown";
  public static final String APPROVAL = "approval";
  public static final String IMPORT = "import";

  public static final int RESTORE_FROM = 2;
  public static final int EXPORT_FROM = 40;
  public static final int COMPARE_FROM = 60;
  public static final int TEARDOWN_AT = 70;
  public static final int APPROVAL_AT = 72;
  public static final int IMPORT_FROM = 75;
  public static final int IMPORT_TO = 99;

  private TableRecoverySteps() {}

  public static int restorePercent(int stepPercent) {
    return scale(RESTORE_FROM, EXPORT_FROM, stepPercent);
  }

  public static int exportPercent(int stepPercent) {
    return scale(EXPORT_FROM, COMPARE_FROM, stepPercent);
  }

  public static int comparePercent(int stepPercent) {
    return scale(COMPARE_FROM, TEARDOWN_AT, stepPercent);
  }

  public static int importPercent(int stepPercent) {
    return scale(IMPORT_FROM, IMPORT_TO, stepPercent);
  }

  private static int scale(int from, int to, int stepPercent) {
    int clamped = Math.max(0, Math.min(100, stepPercent));
    return from + (to - from) * clamped / 100;
  }
}
