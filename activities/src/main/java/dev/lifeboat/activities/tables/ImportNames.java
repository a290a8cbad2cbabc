package dev.lifeboat.activities.tables;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.TableNames;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Names of the tables an import creates: {@code <table>_restored_<suffix>} (new-table) and
 * {@code <table>_backup_<suffix>} (replace). PostgreSQL cuts identifiers at 63 bytes without a
 * word, which could make two long table names collide or lose the suffix; a base name too long
 * is instead cut at a character boundary and followed by 6 hex digits of its SHA-256, so the
 * suffix survives and different tables keep different names.
 */
final class ImportNames {
  private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9_]{1,32}");
  private static final int HASH_HEX = 6;

  private ImportNames() {}

  static String restored(String table, String suffix) {
    return name(table, "_restored_" + checkSuffix(suffix));
  }

  static String backup(String table, String suffix) {
    return name(table, "_backup_" + checkSuffix(suffix));
  }

  static String name(String base, String tag) {
    int max = TableNames.MAX_IDENTIFIER_BYTES;
    int tagBytes = bytes(tag);
    if (bytes(base) + tagBytes <= max) {
      return base + tag;
    }
    String hash = HexFormat.of().formatHex(CopyTracker.sha256().digest(base.getBytes(StandardCharsets.UTF_8)))
        .substring(0, HASH_HEX);
    return cut(base, max - tagBytes - 1 - HASH_HEX) + "_" + hash + tag;
  }

  /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that ends on a code point. */
  static String cut(String s, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int n = bytes(new String(Character.toChars(cp)));
      if (bytes + n > maxBytes) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String checkSuffix(String suffix) {
    if (suffix == null || !SUFFIX.matcher(suffix).matches()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Import suffix '" + suffix
          + "' is invalid: letters, digits and _, at most 32, e.g. 202611241031.", Map.of("suffix", String.valueOf(suffix)));
    }
    return suffix;
  }
}
