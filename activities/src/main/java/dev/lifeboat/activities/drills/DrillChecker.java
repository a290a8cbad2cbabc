package dev.lifeboat.activities.drills;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillCheck;
import dev.lifeboat.common.model.DrillPlan;
import dev.lifeboat.common.model.DrillVerification;
import dev.lifeboat.common.model.RowCountRule;
import dev.lifeboat.common.model.SqlCheck;
import dev.lifeboat.common.model.VerificationSuite;
import dev.lifeboat.common.platform.Platform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a verification suite on a drill instance. Every check ends as a result with its value and
 * time, passed or not: a check that errors fails with the error as its detail. Only a drill
 * instance that cannot be reached at all fails the activity (and is retried).
 */
public final class DrillChecker {
  private static final Logger log = LoggerFactory.getLogger(DrillChecker.class);

  private final Platform platform;
  private final Clock clock;

  public DrillChecker(Platform platform, Clock clock) {
    this.platform = platform;
    this.clock = clock;
  }

  /** @param progress told what runs now, for heartbeats */
  public DrillVerification check(String drillInstance, DrillPlan plan, Consumer<String> progress) {
    VerificationSuite suite = plan.suite();
    List<DrillCheck> checks = new ArrayList<>();
    Instant newestData = null;
    try (Connection drill = platform.dataSource(drillInstance).getConnection()) {
      if (!suite.rowCounts().isEmpty()) {
        progress.accept("counting rows on " + drillInstance + " and " + plan.compareOn());
        checks.addAll(rowCounts(drill, plan));
      }
      for (SqlCheck sql : suite.checks()) {
        progress.accept("check " + sql.name());
        checks.add(sqlCheck(drill, sql));
      }
      for (String extension : suite.extensions()) {
        checks.add(exists(drill, DrillCheck.EXTENSION, extension,
            "select extversion from pg_catalog.pg_extension where extname = ?"));
      }
      for (String role : suite.roles()) {
        checks.add(exists(drill, DrillCheck.ROLE, role, "select rolname from pg_catalog.pg_roles where rolname = ?"));
      }
      if (suite.freshnessQuery() != null && !suite.freshnessQuery().isBlank()) {
        progress.accept("freshness query");
        newestData = freshness(drill, suite.freshnessQuery());
      }
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Cannot connect to drill instance " + drillInstance + ": "
          + e.getMessage(), Map.of("instance", drillInstance), e);
    }
    long failed = checks.stream().filter(c -> !c.passed()).count();
    log.info("suite {} on {}: {} checks, {} failed", suite.name(), drillInstance, checks.size(), failed);
    return new DrillVerification(checks, newestData);
  }

  private List<DrillCheck> rowCounts(Connection drill, DrillPlan plan) throws SQLException {
    List<DrillCheck> checks = new ArrayList<>();
    String replica = plan.compareOn();
    Connection source;
    try {
      source = platform.dataSource(replica).getConnection();
    } catch (SQLException | LifeboatException e) {
      // without the source nothing can be compared: every rule fails, saying why
      for (RowCountRule rule : plan.suite().rowCounts()) {
        checks.add(new DrillCheck(rule.schema() + ".*", DrillCheck.ROW_COUNT, false, "not compared",
            "counts of " + replica, "cannot read the analytics replica " + replica + ": " + e.getMessage(), now()));
      }
      return checks;
    }
    try (source) {
      for (RowCountRule rule : plan.suite().rowCounts()) {
        Map<String, String> onDrill = rule.everyTable() ? RowCounter.tables(drill, rule.schema())
            : RowCounter.tables(drill, rule.schema(), rule.tables());
        Map<String, String> onSource = rule.everyTable() ? RowCounter.tables(source, rule.schema())
            : RowCounter.tables(source, rule.schema(), rule.tables());
        TreeSet<String> names = new TreeSet<>(onDrill.keySet());
        names.addAll(onSource.keySet());
        if (!rule.everyTable()) {
          names.addAll(rule.tables());
        }
        if (names.isEmpty()) {
          checks.add(new DrillCheck(rule.schema() + ".*", DrillCheck.ROW_COUNT, false, "no tables", "tables in "
              + rule.schema(), "schema " + rule.schema() + " has no tables on the drill instance nor on " + replica,
              now()));
        }
        for (String table : names) {
          checks.add(rowCount(rule, table, drill, onDrill.get(table), source, onSource.get(table), replica));
        }
      }
    }
    return checks;
  }

  private DrillCheck rowCount(RowCountRule rule, String table, Connection drill, String drillName, Connection source,
      String sourceName, String replica) {
    String name = rule.schema() + "." + table;
    if (drillName == null || sourceName == null) {
      String missingOn = drillName == null && sourceName == null ? "both the drill instance and " + replica
          : drillName == null ? "the drill instance" : replica;
      return new DrillCheck(name, DrillCheck.ROW_COUNT, false, drillName == null ? "missing" : "present",
          "table on both sides", "table missing on " + missingOn, now());
    }
    try {
      long drillRows = RowCounter.count(drill, drillName);
      long sourceRows = RowCounter.count(source, sourceName);
      long allowed = rule.allowedDifference(sourceRows);
      long difference = Math.abs(drillRows - sourceRows);
      boolean passed = difference <= allowed;
      return new DrillCheck(name, DrillCheck.ROW_COUNT, passed, Long.toString(drillRows),
          sourceRows + " ± " + allowed + " (" + replica + ")",
          passed ? null : "differs by " + difference + " rows, more than the tolerance " + rule.tolerance(), now());
    } catch (SQLException e) {
      return new DrillCheck(name, DrillCheck.ROW_COUNT, false, "error", "a count", failure(e), now());
    }
  }

  private DrillCheck sqlCheck(Connection drill, SqlCheck check) {
    try {
      Queries.Answer answer = Queries.first(drill, check.sql(), Queries.CHECK_TIMEOUT);
      boolean passed = answer.isTrue();
      return new DrillCheck(check.name(), DrillCheck.SQL, passed, answer.text(), "true",
          passed ? null : "the query did not return true: " + check.sql(), now());
    } catch (SQLException e) {
      return new DrillCheck(check.name(), DrillCheck.SQL, false, "error", "true", failure(e), now());
    }
  }

  private DrillCheck exists(Connection drill, String kind, String name, String sql) {
    try (PreparedStatement ps = drill.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        boolean found = rs.next();
        String value = found ? (DrillCheck.EXTENSION.equals(kind) ? rs.getString(1) : "exists") : "missing";
        return new DrillCheck(name, kind, found, value, DrillCheck.EXTENSION.equals(kind) ? "installed" : "exists",
            found ? null : kind + " " + name + " does not exist on the drill instance", now());
      }
    } catch (SQLException e) {
      return new DrillCheck(name, kind, false, "error", "exists", failure(e), now());
    }
  }

  private Instant freshness(Connection drill, String sql) {
    try {
      return Queries.instant(drill, sql, Queries.CHECK_TIMEOUT);
    } catch (SQLException | RuntimeException e) {
      log.warn("freshness query failed on the drill instance ({}); the RPO is measured from the restored point",
          e.getMessage());
      return null;
    }
  }

  private static String failure(SQLException e) {
    return (e.getSQLState() == null ? "" : "SQLSTATE " + e.getSQLState() + ": ") + e.getMessage();
  }

  private Instant now() {
    return clock.instant();
  }
}
