package dev.lifeboat.activities.tables;

import dev.lifeboat.common.model.TableRef;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Keys of an export in the {@link ExportStore}: {@code <runId>/manifest.json} and, per table,
 * {@code <runId>/tables/<schema>.<name>.pgcopy} (the data) and {@code ....json} (its manifest).
 * Table names may hold any character, so each part is percent-encoded down to
 * {@code [A-Za-z0-9_-]}: a key never holds {@code /}, {@code ..} or anything a file system or S3
 * reads specially, and two tables never share a key.
 */
public final class ExportKeys {
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private ExportKeys() {}

  public static String manifest(String runId) {
    return run(runId) + "/manifest.json";
  }

  public static String object(String runId, TableRef table) {
    return tablePrefix(runId, table) + ".pgcopy";
  }

  public static String tableManifest(String runId, TableRef table) {
    return tablePrefix(runId, table) + ".json";
  }

  /** The run id, checked to be one path segment. */
  public static String run(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches() || runId.contains("..")) {
      throw new IllegalArgumentException("run id '" + runId + "' cannot name an export");
    }
    return runId;
  }

  private static String tablePrefix(String runId, TableRef table) {
    return run(runId) + "/tables/" + encode(table.schema()) + "." + encode(table.name());
  }

  static String encode(String part) {
    StringBuilder s = new StringBuilder();
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
        s.append(c);
      } else {
        s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.toString();
  }
}
