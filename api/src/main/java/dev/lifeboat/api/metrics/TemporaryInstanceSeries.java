package dev.lifeboat.api.metrics;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.platform.Platform;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Temporary instances (restores, drills) alive on the platform per region, those past their TTL,
 * and for each of those how long past it and which run owns it. A run deletes its instance at the
 * TTL and the reaper is the second guard: one that stays past its TTL is a leak that costs money.
 */
final class TemporaryInstanceSeries implements MetricSource {
  private final Platform platform;

  TemporaryInstanceSeries(Platform platform) {
    this.platform = platform;
  }

  @Override
  public String name() {
    return "temporary_instances";
  }

  @Override
  public List<MetricSnapshot> collect(Scrape scrape) {
    Map<String, long[]> byRegion = new TreeMap<>();
    platform.regions().forEach(region -> byRegion.put(region, new long[2]));
    var overdue = Families.gauge("lifeboat_temporary_instance_past_ttl_seconds",
        "How long a temporary instance has outlived its TTL, per instance (only those past it) and owning run.");
    for (InstanceInfo instance : scrape.instances()) {
      if (!instance.temporary()) {
        continue;
      }
      long[] counts = byRegion.computeIfAbsent(String.valueOf(instance.region()), r -> new long[2]);
      counts[0]++;
      if (instance.expiresAt() != null && instance.expiresAt().isBefore(scrape.now())) {
        counts[1]++;
        overdue.add(Scrape.seconds(Duration.between(instance.expiresAt(), scrape.now())),
            "instance", instance.id(), "region", String.valueOf(instance.region()),
            "run_id", instance.runId() == null ? "" : instance.runId());
      }
    }
    var alive = Families.gauge("lifeboat_temporary_instances",
        "Temporary instances on the platform per region, whatever their status.");
    var pastTtl = Families.gauge("lifeboat_temporary_instances_past_ttl",
        "Temporary instances per region whose TTL has passed.");
    byRegion.forEach((region, counts) -> {
      alive.add(counts[0], "region", region);
      pastTtl.add(counts[1], "region", region);
    });
    return Families.snapshots(alive, pastTtl, overdue);
  }
}
