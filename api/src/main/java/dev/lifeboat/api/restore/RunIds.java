package dev.lifeboat.api.restore;

import dev.lifeboat.common.Ids;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** New run ids: business key plus a short random part, so two restores of one instance never collide. */
public final class RunIds {
  private RunIds() {}

  public static String newRestoreRunId(String instance) {
    return Ids.restoreRunId(instance, shortId());
  }

  public static String newTableRecoveryRunId(String instance) {
    return Ids.tableRecoveryRunId(instance, shortId());
  }

  /** Eight random hex digits: the part of a run id that keeps two runs of one instance apart. */
  public static String shortId() {
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
