package dev.lifeboat.catalog;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Opaque keyset cursors: the sort key of the last item of a page, so the next page starts right
 * after it whatever was inserted meanwhile (an offset would skip or repeat rows). The tag in front
 * lets the format change later and keeps a run cursor from being used on the audit log.
 */
final class Cursors {
  private static final String RUN_TAG = "r1";
  private static final String AUDIT_TAG = "a1";
  private static final String SEPARATOR = "|";

  private Cursors() {}

  /** Position after a run in newest-first order. */
  record RunPosition(Instant startedAt, String runId) {}

  static String run(Instant startedAt, String runId) {
    return encode(RUN_TAG + SEPARATOR + startedAt + SEPARATOR + runId);
  }

  static RunPosition run(String cursor) {
    String[] parts = decode(cursor).split("\\|", 3);
    if (parts.length != 3 || !RUN_TAG.equals(parts[0]) || parts[2].isEmpty()) {
      throw invalid();
    }
    try {
      return new RunPosition(Instant.parse(parts[1]), parts[2]);
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  static String audit(long id) {
    return encode(AUDIT_TAG + SEPARATOR + id);
  }

  static long audit(String cursor) {
    String[] parts = decode(cursor).split("\\|", 2);
    if (parts.length != 2 || !AUDIT_TAG.equals(parts[0])) {
      throw invalid();
    }
    try {
      return Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static LifeboatException invalid() {
    return new LifeboatException(
        ErrorType.INVALID_REQUEST,
        "cursor is not one this service issued: pass the nextCursor of the previous page unchanged",
        Map.of("field", "cursor"));
  }
}
