package dev.lifeboat.api;

import dev.lifeboat.api.errors.InvalidRequest;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them: ISO-8601 ({@code PT2H}, {@code P1D}) or the short forms on-call
 * engineers know from pgBackRest and kubectl ({@code 90m}, {@code 2h}, {@code 1h30m}, {@code 1d}).
 */
public final class DurationText {
  /** What a parse failure tells the caller to send instead. */
  public static final String EXPECTED =
      "an ISO-8601 duration such as PT2H, or a short form such as 90m, 2h, 1h30m or 1d";

  private static final Pattern SHORT = Pattern.compile("(?:\\d{1,9}[dhms])+");
  private static final Pattern PART = Pattern.compile("(\\d{1,9})([dhms])");

  private DurationText() {}

  /** The duration, or empty when the text is neither form. */
  /**
   * A request field's duration, more than zero; null when the field was left out.
   *
   * @throws dev.lifeboat.common.LifeboatException INVALID_REQUEST naming the field
   */
  public static Duration positive(String field, String text) {
    if (text == null) {
      return null;
    }
    Duration duration = parse(text).orElseThrow(() -> InvalidRequest.field(field,
        field + " '" + text + "' is not " + EXPECTED + ".", Map.of("expected", EXPECTED)));
    if (duration.isZero() || duration.isNegative()) {
      throw InvalidRequest.field(field, field + " must be more than zero, e.g. PT1H.");
    }
    return duration;
  }

  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (trimmed.startsWith("p") || trimmed.startsWith("-p")) {
        return Optional.of(Duration.parse(trimmed.toUpperCase(Locale.ROOT)));
      }
      if (!SHORT.matcher(trimmed).matches()) {
        return Optional.empty();
      }
      Duration total = Duration.ZERO;
      Matcher part = PART.matcher(trimmed);
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total = total.plus(switch (part.group(2)) {
          case "d" -> Duration.ofDays(amount);
          case "h" -> Duration.ofHours(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofSeconds(amount);
        });
      }
      return Optional.of(total);
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
