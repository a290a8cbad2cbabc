package dev.lifeboat.api.restore;

import dev.lifeboat.api.errors.InvalidRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Parses a restore target. A time without an offset is refused rather than guessed: read as UTC
 * by one client and as local time by another, it would restore the wrong hour without a warning.
 */
public final class TargetTime {
  public static final String EXPECTED = "an ISO-8601 date-time with Z or an offset, e.g. 2026-11-24T10:31:00Z"
      + " or 2026-11-24T11:31:00+01:00";

  private TargetTime() {}

  public static Instant parse(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      if (withoutOffset(text)) {
        throw InvalidRequest.field(field, field + " '" + text + "' has no UTC offset: add Z for UTC or the offset"
            + " of the time zone it was read in, e.g. " + text + "Z or " + text + "+01:00.",
            Map.of("expected", EXPECTED));
      }
      throw InvalidRequest.field(field, field + " '" + text + "' is not " + EXPECTED + ".",
          Map.of("expected", EXPECTED));
    }
  }

  private static boolean withoutOffset(String text) {
    try {
      LocalDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
