package dev.lifeboat.common.model;

import java.time.Instant;

/**
 * One check of a DR drill and what it found.
 *
 * @param kind {@code row-count}, {@code sql}, {@code extension}, {@code role} or {@code target}
 * @param value what the drill instance showed (a count, a query's answer, a version, a duration)
 * @param expected what was required, e.g. {@code 5000 ± 0 (techcorp-analytics)} or {@code <= PT1H}
 * @param checkedAt when the check ran
 */
public record DrillCheck(
    String name,
    String kind,
    boolean passed,
    String value,
    String expected,
    String detail,
    Instant checkedAt) {

  public static final String ROW_COUNT = "row-count";
  public static final String SQL = "sql";
  public static final String EXTENSION = "extension";
  public static final String ROLE = "role";
  public static final String TARGET = "target";

  /** {@code kind:name}, how failure messages name a check. */
  public String label() {
    return kind + ":" + name;
  }
}
