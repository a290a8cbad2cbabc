package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.api.DurationText;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.RowCountRule;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.SqlCheck;
import dev.lifeboat.common.model.VerificationSuite;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code drills:} in the YAML: verification suites, the default RTO/RPO targets, and the analytics
 * replica each source is read from. Durations take ISO-8601 ({@code PT1H}) or short ({@code 1h}).
 */
public class DrillsFactory {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** Suite name -> what a drill checks on its restored instance. */
  private Map<String, SuiteFactory> suites = new LinkedHashMap<>();
  /** The suite of a drill that names none; the only suite when there is one. */
  private String defaultSuite;
  private TargetsFactory targets = new TargetsFactory("1h", "24h");
  /** Source instance -> its analytics replica: row counts and freshness read the source there, never the primary. */
  private Map<String, String> analyticsReplicas = new LinkedHashMap<>();
  /** Expiry of a drill instance after the drill's start: a guard for the reaper, the drill deletes it itself. */
  private String instanceTtl = "6h";

  /** One suite: each list may be left out. */
  public record SuiteFactory(List<RowCountFactory> rowCounts, List<SqlCheckFactory> checks, List<String> extensions,
      List<String> roles, String freshnessQuery) {}

  /**
   * Tables of one schema whose counts must match the source: {@code tables: all} (or left out)
   * for every table, or a list; {@code tolerance} in rows ({@code 0}) or percent ({@code "0.5%"}).
   */
  public record RowCountFactory(String schema,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> tables, String tolerance) {}

  /** A query whose first column of its first row must be true on the drill instance. */
  public record SqlCheckFactory(String name, String sql) {}

  public record TargetsFactory(String rto, String rpo) {}

  /** @throws IllegalArgumentException naming the key that is wrong */
  public DrillSettings settings() {
    Map<String, VerificationSuite> built = new LinkedHashMap<>();
    suites.forEach((name, suite) -> built.put(name, suite(name, suite)));
    String chosen = defaultSuite != null ? defaultSuite : built.size() == 1 ? built.keySet().iterator().next() : null;
    if (chosen != null && !built.containsKey(chosen)) {
      throw new IllegalArgumentException("drills.defaultSuite '" + chosen + "' is not one of drills.suites: "
          + built.keySet());
    }
    analyticsReplicas.forEach((source, replica) -> {
      if (!Ids.validInstanceId(source) || !Ids.validInstanceId(replica) || source.equals(replica)) {
        throw new IllegalArgumentException("drills.analyticsReplicas maps " + source + " to " + replica
            + ": both must be instance ids, and a source is never its own replica");
      }
    });
    TargetsFactory t = targets == null ? new TargetsFactory(null, null) : targets;
    return new DrillSettings(built, chosen,
        new DrillTargets(duration("targets.rto", t.rto()), duration("targets.rpo", t.rpo())), analyticsReplicas,
        duration("instanceTtl", instanceTtl));
  }

  /** A drill schedule must name a configured suite (or have a default one): a typo fails the start, not the drill. */
  public static void checkSchedules(List<ScheduleSpec> schedules, DrillSettings settings) {
    for (ScheduleSpec spec : schedules) {
      if (spec.drill() != null && settings.suite(spec.drill().verification()).isEmpty()) {
        throw new IllegalArgumentException("schedule " + spec.id() + " runs verification suite '"
            + (spec.drill().verification() == null ? "(default)" : spec.drill().verification())
            + "', which drills.suites does not define (suites: " + settings.suiteNames() + ")");
      }
    }
  }

  private static VerificationSuite suite(String name, SuiteFactory suite) {
    String key = "drills.suites." + name;
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(key + ": a suite name is lower-case letters, digits and hyphens");
    }
    if (suite == null) {
      throw new IllegalArgumentException(key + " is empty");
    }
    List<RowCountRule> rowCounts = suite.rowCounts() == null ? List.of() : suite.rowCounts().stream().map(r -> {
      if (r == null || r.schema() == null || r.schema().isBlank()) {
        throw new IllegalArgumentException(key + ".rowCounts: every entry names a schema");
      }
      if (r.tolerance() != null && !RowCountRule.validTolerance(r.tolerance())) {
        throw new IllegalArgumentException(key + ".rowCounts (" + r.schema() + "): tolerance '" + r.tolerance()
            + "' is neither whole rows (25) nor a percentage (\"0.5%\")");
      }
      return new RowCountRule(r.schema(), r.tables(), r.tolerance());
    }).toList();
    Set<String> names = new HashSet<>();
    List<SqlCheck> checks = suite.checks() == null ? List.of() : suite.checks().stream().map(c -> {
      if (c == null || c.name() == null || c.name().isBlank() || c.sql() == null || c.sql().isBlank()) {
        throw new IllegalArgumentException(key + ".checks: every check has a name and sql");
      }
      if (!names.add(c.name())) {
        throw new IllegalArgumentException(key + ".checks: two checks are called " + c.name());
      }
      return new SqlCheck(c.name(), c.sql().strip());
    }).toList();
    String freshness = suite.freshnessQuery() == null || suite.freshnessQuery().isBlank() ? null
        : suite.freshnessQuery().strip();
    VerificationSuite built = new VerificationSuite(name, rowCounts, checks, suite.extensions(), suite.roles(),
        freshness);
    if (built.rowCounts().isEmpty() && built.checks().isEmpty() && built.extensions().isEmpty()
        && built.roles().isEmpty()) {
      throw new IllegalArgumentException(key + " checks nothing: give it rowCounts, checks, extensions or roles");
    }
    return built;
  }

  private static Duration duration(String key, String text) {
    if (text == null) {
      return null;
    }
    Duration d = DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException(
        "drills." + key + " '" + text + "' is not " + DurationText.EXPECTED));
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("drills." + key + " must be more than zero, got " + text);
    }
    return d;
  }

  @JsonProperty
  public Map<String, SuiteFactory> getSuites() {
    return suites;
  }

  @JsonProperty
  public void setSuites(Map<String, SuiteFactory> suites) {
    this.suites = suites == null ? new LinkedHashMap<>() : suites;
  }

  @JsonProperty
  public String getDefaultSuite() {
    return defaultSuite;
  }

  @JsonProperty
  public void setDefaultSuite(String defaultSuite) {
    this.defaultSuite = defaultSuite;
  }

  @JsonProperty
  public TargetsFactory getTargets() {
    return targets;
  }

  @JsonProperty
  public void setTargets(TargetsFactory targets) {
    this.targets = targets;
  }

  @JsonProperty
  public Map<String, String> getAnalyticsReplicas() {
    return analyticsReplicas;
  }

  @JsonProperty
  public void setAnalyticsReplicas(Map<String, String> analyticsReplicas) {
    this.analyticsReplicas = analyticsReplicas == null ? new LinkedHashMap<>() : analyticsReplicas;
  }

  @JsonProperty
  public String getInstanceTtl() {
    return instanceTtl;
  }

  @JsonProperty
  public void setInstanceTtl(String instanceTtl) {
    this.instanceTtl = instanceTtl;
  }
}
