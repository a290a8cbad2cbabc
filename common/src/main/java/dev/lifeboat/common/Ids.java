package dev.lifeboat.common;

import java.util.regex.Pattern;

/** Business-key ids of runs and instances. */
public final class Ids {
  /** Instance ids: RDS rules (letter first, letters, digits, hyphens, at most 63). */
  public static final Pattern INSTANCE_ID = Pattern.compile("[a-zA-Z][a-zA-Z0-9-]{0,62}");
  /** Prefix of every temporary instance a restore creates. */
  public static final String PITR_INSTANCE_PREFIX = "lb-pitr-";
  /** Prefix of the temporary instance a table recovery restores into. */
  public static final String TABLE_INSTANCE_PREFIX = "lb-tbl-";

  private Ids() {}

  public static boolean validInstanceId(String id) {
    return id != null && INSTANCE_ID.matcher(id).matches() && !id.endsWith("-") && !id.contains("--");
  }

  public static String tableRecoveryRunId(String instance, String shortId) {
    return "tables-" + instance + "-" + shortId;
  }

  public static String restoreRunId(String instance, String shortId) {
    return "restore-" + instance + "-" + shortId;
  }
}
