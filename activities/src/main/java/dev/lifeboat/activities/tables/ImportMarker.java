package dev.lifeboat.activities.tables;

import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.TableRef;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mark a committed import leaves: the comment of the table it created, written in the same
 * transaction ({@code new-table}: the restored table; {@code replace}: the backup table). A
 * retry that finds the mark of its own run knows the import committed and what it wrote. The
 * text is for people too: {@code \d+} in psql shows where a table came from.
 */
final class ImportMarker {
  private static final Pattern COUNTS = Pattern.compile("; rows loaded (\\d+), written (\\d+)\\.$");

  record Counts(long rowsLoaded, long rowsWritten) {}

  private ImportMarker() {}

  static String text(String runId, ImportMode mode, TableRef table, String object, long rowsLoaded, long rowsWritten) {
    String what = mode == ImportMode.REPLACE
        ? "the rows of " + table.display() + " before they were replaced with export object " + object
        : table.display() + " as restored from export object " + object;
    return prefix(runId) + what + "; rows loaded " + rowsLoaded + ", written " + rowsWritten + ".";
  }

  /** The counts, when {@code comment} is the mark of this run. */
  static Optional<Counts> parse(String comment, String runId) {
    if (comment == null || !comment.startsWith(prefix(runId))) {
      return Optional.empty();
    }
    Matcher m = COUNTS.matcher(comment);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new Counts(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }

  private static String prefix(String runId) {
    return "lifeboat run " + runId + ": ";
  }
}
