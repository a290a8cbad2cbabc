package dev.lifeboat.api.metrics;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.Platform;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Snapshots per instance and region, from the platform: how many in each status, and the age of
 * the newest available one (from the end of its backup, the newest point it holds). A primary
 * without any available snapshot in the home region is sent as a count of zero, so that an
 * instance never snapshotted alerts too; DR regions appear once they hold a copy.
 */
final class SnapshotSeries implements MetricSource {
  static final String AVAILABLE = "available";

  private final Platform platform;

  SnapshotSeries(Platform platform) {
    this.platform = platform;
  }

  @Override
  public String name() {
    return "snapshots";
  }

  @Override
  public List<MetricSnapshot> collect(Scrape scrape) {
    // (instance, region) -> status -> count, and the newest available snapshot's end
    Map<List<String>, Map<String, Long>> counts = new TreeMap<>(Scrape.KEY_ORDER);
    Map<List<String>, Instant> newest = new TreeMap<>(Scrape.KEY_ORDER);
    for (SnapshotInfo s : platform.listSnapshots(null)) {
      List<String> key = List.of(s.instance(), s.region());
      counts.computeIfAbsent(key, k -> new TreeMap<>()).merge(String.valueOf(s.status()), 1L, Long::sum);
      Instant end = s.stoppedAt() != null ? s.stoppedAt() : s.startedAt();
      if (AVAILABLE.equals(s.status()) && end != null) {
        newest.merge(key, end, (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    try {
      String home = platform.regions().get(0);
      for (InstanceInfo instance : scrape.instances()) {
        if (instance.role() == InstanceRole.PRIMARY) {
          counts.computeIfAbsent(List.of(instance.id(), home), k -> new TreeMap<>()).putIfAbsent(AVAILABLE, 0L);
        }
      }
    } catch (RuntimeException e) {
      scrape.problem("primaries without snapshots (listing instances)", e);
    }

    var snapshots = Families.gauge("lifeboat_snapshots",
        "Snapshots (and DR copies) per instance, region and status; 0 available for a primary without one.");
    var age = Families.gauge("lifeboat_snapshot_newest_age_seconds",
        "Age of the newest available snapshot per instance and region, from the end of its backup.");
    counts.forEach((key, byStatus) -> byStatus.forEach((status, count) ->
        snapshots.add(count, "instance", key.get(0), "region", key.get(1), "status", status)));
    // a former primary takes no more snapshots after a failover: its age would alert for ever
    Set<String> former = formerPrimaries(scrape);
    newest.forEach((key, end) -> {
      if (!former.contains(key.get(0))) {
        age.add(Scrape.seconds(Duration.between(end, scrape.now())), "instance", key.get(0), "region", key.get(1));
      }
    });
    return Families.snapshots(snapshots, age);
  }

  private static Set<String> formerPrimaries(Scrape scrape) {
    try {
      return scrape.instances().stream().filter(i -> i.role() == InstanceRole.FORMER_PRIMARY).map(InstanceInfo::id)
          .collect(Collectors.toSet());
    } catch (RuntimeException e) {
      scrape.problem("former primaries (listing instances)", e);
      return Set.of();
    }
  }
}
