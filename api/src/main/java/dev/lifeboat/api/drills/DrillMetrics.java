package dev.lifeboat.api.drills;

import dev.lifeboat.api.metrics.Families;
import dev.lifeboat.api.metrics.MetricSource;
import dev.lifeboat.api.metrics.Scrape;
import dev.lifeboat.catalog.DrillReportStore;
import dev.lifeboat.common.model.DrillMeasure;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Drill outcomes as Prometheus series (on the admin port's {@code /metrics}) for alerting: per
 * instance and DR region, whether the newest drill passed, its RTO and RPO against their targets,
 * when it started, and how many of the newest {@value DrillTrend#WINDOW} failed. Read from the
 * catalog's drill reports. The pairs are those of the drill schedules (so a scheduled drill that
 * never ran is visible as missing series) and those of the newest {@value #DISCOVERY} reports.
 */
public final class DrillMetrics implements MetricSource {
  /** How many of the newest reports are looked at for instance and region pairs outside the schedules. */
  static final int DISCOVERY = 100;

  private final DrillReportStore reports;
  private final List<ScheduleSpec> schedules;

  public DrillMetrics(DrillReportStore reports, List<ScheduleSpec> schedules) {
    this.reports = reports;
    this.schedules = List.copyOf(schedules);
  }

  @Override
  public String name() {
    return "drills";
  }

  @Override
  public List<MetricSnapshot> collect(Scrape scrape) {
    Set<List<String>> pairs = new TreeSet<>(
        Comparator.comparing((List<String> pair) -> pair.get(0)).thenComparing(pair -> pair.get(1)));
    for (ScheduleSpec spec : schedules) {
      if (spec.kind() == RunKind.DRILL && spec.drill() != null && spec.drill().instance() != null
          && spec.drill().region() != null) {
        pairs.add(List.of(spec.drill().instance(), spec.drill().region()));
      }
    }
    for (DrillReport report : reports.recent(null, null, DISCOVERY)) {
      pairs.add(List.of(String.valueOf(report.instance()), String.valueOf(report.region())));
    }

    var passed = Families.gauge("lifeboat_drill_last_passed",
        "1 when the newest DR drill of the instance in the region passed (every check and both targets), else 0.");
    var started = Families.gauge("lifeboat_drill_last_timestamp_seconds",
        "When the newest DR drill of the instance in the region started (Unix time).");
    var rto = Families.gauge("lifeboat_drill_last_rto_seconds",
        "RTO measured by the newest DR drill: drill start to a verified drill instance.");
    var rpo = Families.gauge("lifeboat_drill_last_rpo_seconds",
        "RPO measured by the newest DR drill: the source's newest data at the start minus the newest data recovered.");
    var rtoTarget = Families.gauge("lifeboat_drill_last_rto_target_seconds", "RTO target of the newest DR drill.");
    var rpoTarget = Families.gauge("lifeboat_drill_last_rpo_target_seconds", "RPO target of the newest DR drill.");
    var failed = Families.gauge("lifeboat_drills_recent_failed",
        "Failed drills among the newest " + DrillTrend.WINDOW + " of the instance in the region.");
    for (List<String> pair : pairs) {
      List<DrillReport> recent = reports.recent(pair.get(0), pair.get(1), DrillTrend.WINDOW);
      if (recent.isEmpty()) {
        continue;
      }
      String[] labels = {"instance", pair.get(0), "region", pair.get(1)};
      DrillReport last = recent.get(0);
      passed.add(last.passed() ? 1 : 0, labels);
      if (last.startedAt() != null) {
        started.add(last.startedAt().toEpochMilli() / 1000.0, labels);
      }
      measure(last.rto(), rto, rtoTarget, labels);
      measure(last.rpo(), rpo, rpoTarget, labels);
      failed.add(recent.stream().filter(r -> !r.passed()).count(), labels);
    }
    return Families.snapshots(passed, started, rto, rpo, rtoTarget, rpoTarget, failed);
  }

  private static void measure(DrillMeasure measure, Families.Gauge value, Families.Gauge target, String[] labels) {
    if (measure == null) {
      return;
    }
    if (measure.measured() != null) {
      value.add(measure.measured().toMillis() / 1000.0, labels);
    }
    if (measure.target() != null) {
      target.add(measure.target().toMillis() / 1000.0, labels);
    }
  }
}
