package dev.lifeboat.common.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Tables of one schema whose row counts on the drill instance must match the source's (read from
 * its analytics replica).
 *
 * @param tables table names in {@code schema}; empty (or {@code [all]}) means every table of the schema
 * @param tolerance how far the counts may differ: rows ({@code "0"}, {@code "25"}) or a share of
 *     the source's count ({@code "0.5%"})
 */
public record RowCountRule(String schema, List<String> tables, String tolerance) {
  /** The word that stands for every table of the schema. */
  public static final String ALL = "all";

  public RowCountRule {
    tables = tables == null ? List.of() : List.copyOf(tables);
    tolerance = tolerance == null || tolerance.isBlank() ? "0" : tolerance.strip();
  }

  /** Whether the rule covers every table of its schema. */
  public boolean everyTable() {
    return tables.isEmpty() || tables.size() == 1 && ALL.equals(tables.get(0).toLowerCase(Locale.ROOT));
  }

  /** Rows the drill's count may differ by from {@code sourceRows}. */
  public long allowedDifference(long sourceRows) {
    return allowedDifference(tolerance, sourceRows);
  }

  /** Whether {@code text} is a tolerance: whole rows, or a percentage such as {@code 0.5%}. */
  public static boolean validTolerance(String text) {
    try {
      allowedDifference(text, 0);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long allowedDifference(String text, long sourceRows) {
    String t = text == null ? "" : text.strip();
    try {
      if (t.endsWith("%")) {
        BigDecimal percent = new BigDecimal(t.substring(0, t.length() - 1).strip());
        if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
          throw new IllegalArgumentException("tolerance " + text + " is not between 0% and 100%");
        }
        // rounded down: a 1% tolerance of 150 rows allows 1 row, never 2
        return percent.multiply(BigDecimal.valueOf(sourceRows)).divide(BigDecimal.valueOf(100)).longValue();
      }
      long rows = Long.parseLong(t);
      if (rows < 0) {
        throw new IllegalArgumentException("tolerance " + text + " is negative");
      }
      return rows;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tolerance '" + text + "' is neither whole rows (25) nor a percentage (0.5%)", e);
    }
  }
}
