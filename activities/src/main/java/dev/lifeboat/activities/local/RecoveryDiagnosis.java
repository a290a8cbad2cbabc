package dev.lifeboat.activities.local;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the server log of a restore whose postmaster died and names the failure, so that an
 * on-call engineer gets "the archive has no commit after 10:31" rather than "exit code 1".
 */
final class RecoveryDiagnosis {
  static final String TARGET_NOT_REACHED = "recovery ended before configured recovery target was reached";
  private static final List<String> MISSING_WAL = List.of(
      "WAL ends before consistent recovery point",
      "WAL ends before end of online backup",
      "could not locate required checkpoint record",
      "could not find redo location",
      "requested WAL segment",
      "has already been removed");
  private static final Pattern SECRET = Pattern.compile("(?i)(password\\s*=\\s*)\\S+");
  private static final int MAX_LINES = 12;

  private RecoveryDiagnosis() {}

  /**
   * @param log the server log written since the start of this restore
   * @param archiveHasGap whether the archive misses segments after the snapshot's start
   */
  static LifeboatException diagnose(String instanceId, String source, Instant target, String log,
      boolean archiveHasGap) {
    String relevant = relevantLines(log);
    Map<String, Object> details = Map.of("instance", instanceId, "source", source,
        "targetTime", target.toString(), "log", relevant);
    boolean missingWal = MISSING_WAL.stream().anyMatch(log::contains);
    if (log.contains(TARGET_NOT_REACHED)) {
      if (archiveHasGap) {
        return new LifeboatException(ErrorType.WAL_MISSING, "Restore of " + source + " to " + target
            + " stopped at a gap in the WAL archive: segments between the snapshot and the target are missing."
            + " Choose a target before the gap or a snapshot taken after it.", details);
      }
      return new LifeboatException(ErrorType.RECOVERY_TARGET_NOT_REACHED, "Restore of " + source + " to " + target
          + " replayed all archived WAL without reaching the target: the archive holds no commit after "
          + target + ". Choose an earlier target, or let the source archive newer WAL first.", details);
    }
    if (missingWal) {
      return new LifeboatException(ErrorType.WAL_MISSING, "Restore of " + source + " to " + target
          + " failed: WAL needed to make the snapshot consistent is missing from the archive.\n" + relevant, details);
    }
    return new LifeboatException(ErrorType.INSTANCE_START_FAILED, "Restored instance " + instanceId
        + " did not start:\n" + relevant, details);
  }

  /** Errors and the lines around the end of the log, without anything that looks like a password. */
  static String relevantLines(String log) {
    List<String> lines = log.lines()
        .filter(l -> l.contains("FATAL") || l.contains("PANIC") || l.contains("ERROR") || l.contains("LOG:  redo")
            || l.contains("consistent recovery state") || l.contains("recovery stopping"))
        .toList();
    if (lines.isEmpty()) {
      List<String> all = log.lines().toList();
      lines = all.subList(Math.max(0, all.size() - 5), all.size());
    }
    lines = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
    return SECRET.matcher(String.join("\n", lines)).replaceAll("$1***");
  }
}
