package dev.lifeboat.common;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * A Unix cron expression (five fields, e.g. {@code 0 3 * * *}) in a time zone. Pure computation,
 * so workflows may evaluate it: the same inputs give the same fire times on every replay.
 */
public final class Cron {
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime executionTime;

  private Cron(String expression, ZoneId zone, ExecutionTime executionTime) {
    this.expression = expression;
    this.zone = zone;
    this.executionTime = executionTime;
  }

  /** @throws LifeboatException INVALID_REQUEST naming what does not parse */
  public static Cron parse(String expression, String timeZone) {
    if (expression == null || expression.isBlank()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "a schedule needs a cron expression, e.g. '0 3 * * *'",
          Map.of("field", "cron"));
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone);
    } catch (DateTimeException e) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "time zone '" + timeZone
          + "' is unknown: use a region id such as UTC or Europe/Berlin", Map.of("field", "timeZone"));
    }
    try {
      return new Cron(expression.trim(), zone, ExecutionTime.forCron(PARSER.parse(expression.trim())));
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "cron '" + expression + "' does not parse: "
          + e.getMessage() + ". Use five fields: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'",
          Map.of("field", "cron"));
    }
  }

  /** The first fire time strictly after {@code after}. */
  public Instant next(Instant after) {
    return executionTime.nextExecution(ZonedDateTime.ofInstant(after, zone))
        .map(ZonedDateTime::toInstant)
        .orElseThrow(() -> new IllegalStateException("cron '" + expression + "' never fires after " + after));
  }

  /** The latest fire time at or before {@code at}, or null when there is none. */
  public Instant latestAtOrBefore(Instant at) {
    Instant probe = at.plusSeconds(1);
    return executionTime.lastExecution(ZonedDateTime.ofInstant(probe, zone))
        .map(ZonedDateTime::toInstant)
        .filter(t -> !t.isAfter(at))
        .orElse(null);
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }
}
