package dev.lifeboat.api.metrics;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestoreWindow;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.platform.Platform;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The point-in-time window of every primary in the home region, from the platform: its ends, its
 * length, how far its newest point lags, its WAL gaps, and whether it is intact. Intact means what
 * the retention run's window check means by "not broken": the window exists, no archived WAL is
 * missing, and its newest point lags at most the {@code maxArchiveLag} of the retention schedule
 * naming the instance (10 minutes, the retention default, otherwise).
 */
final class PitrWindowSeries implements MetricSource {
  /** The default of retention's {@code maxArchiveLag}. */
  static final Duration DEFAULT_MAX_ARCHIVE_LAG = Duration.ofMinutes(10);

  private final Platform platform;
  private final Map<String, Duration> maxArchiveLag;

  PitrWindowSeries(Platform platform, List<ScheduleSpec> schedules) {
    this.platform = platform;
    this.maxArchiveLag = maxArchiveLags(schedules);
  }

  /** Per instance, the smallest lag a retention schedule allows it. */
  static Map<String, Duration> maxArchiveLags(List<ScheduleSpec> schedules) {
    Map<String, Duration> lags = new HashMap<>();
    for (ScheduleSpec spec : schedules) {
      if (spec.kind() == RunKind.RETENTION && spec.retention() != null && spec.retention().maxArchiveLag() != null
          && spec.retention().instances() != null) {
        for (String instance : spec.retention().instances()) {
          lags.merge(instance, spec.retention().maxArchiveLag(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
      }
    }
    return Map.copyOf(lags);
  }

  @Override
  public String name() {
    return "pitr_windows";
  }

  @Override
  public List<MetricSnapshot> collect(Scrape scrape) {
    var earliest = Families.gauge("lifeboat_pitr_window_earliest_timestamp_seconds",
        "Earliest point in time the instance can be restored to (Unix time), per instance and region.");
    var latest = Families.gauge("lifeboat_pitr_window_latest_timestamp_seconds",
        "Latest point in time the instance can be restored to (Unix time): its newest archived commit.");
    var length = Families.gauge("lifeboat_pitr_window_length_seconds",
        "Length of the restorable window, latest minus earliest.");
    var lag = Families.gauge("lifeboat_pitr_window_lag_seconds",
        "How far the latest restorable point is behind now: WAL not archived yet, or archiving that stopped.");
    var gaps = Families.gauge("lifeboat_pitr_window_gaps",
        "Gaps in the archived WAL after the oldest usable snapshot: no restore can cross one.");
    var intact = Families.gauge("lifeboat_pitr_window_intact",
        "1 when the window exists, has no WAL gap and lags at most the retention schedule's maxArchiveLag, else 0.");
    for (InstanceInfo instance : scrape.instances()) {
      if (instance.role() != InstanceRole.PRIMARY) {
        continue;
      }
      RestoreWindow window;
      try {
        window = platform.restoreWindow(instance.id());
      } catch (RuntimeException e) {
        scrape.problem("window of " + instance.id(), e);
        continue;
      }
      String[] labels = {"instance", instance.id(), "region", String.valueOf(window.region())};
      int gapCount = window.gaps() == null ? 0 : window.gaps().size();
      gaps.add(gapCount, labels);
      boolean whole = window.earliest() != null && window.latest() != null && gapCount == 0;
      if (window.earliest() != null && window.latest() != null) {
        Duration behind = Duration.between(window.latest(), scrape.now());
        earliest.add(Scrape.epochSeconds(window.earliest()), labels);
        latest.add(Scrape.epochSeconds(window.latest()), labels);
        length.add(Scrape.seconds(Duration.between(window.earliest(), window.latest())), labels);
        lag.add(Scrape.seconds(behind), labels);
        whole = whole && behind.compareTo(maxArchiveLag.getOrDefault(instance.id(), DEFAULT_MAX_ARCHIVE_LAG)) <= 0;
      }
      intact.add(whole ? 1 : 0, labels);
    }
    return Families.snapshots(earliest, latest, length, lag, gaps, intact);
  }
}
