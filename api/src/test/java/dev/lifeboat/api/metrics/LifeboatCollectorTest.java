package dev.lifeboat.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.platform.Platform;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LifeboatCollectorTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
  private static final Duration TTL = Duration.ofSeconds(10);

  private final AtomicInteger listings = new AtomicInteger();
  /** A platform that is down: every call fails. */
  private final Platform down = (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(),
      new Class<?>[] {Platform.class}, (proxy, method, args) -> {
        if (method.getName().equals("listInstances")) {
          listings.incrementAndGet();
        }
        throw new IllegalStateException("platform unreachable");
      });
  private final AtomicLong ticker = new AtomicLong();

  private static MetricSource source(String name, Function<Scrape, List<MetricSnapshot>> collect) {
    return new MetricSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<MetricSnapshot> collect(Scrape scrape) {
        return collect.apply(scrape);
      }
    };
  }

  private static List<MetricSnapshot> one(String name, double value) {
    return Families.snapshots(Families.gauge(name, "test").add(value, "instance", "a"));
  }

  private static Map<String, Double> up(MetricSnapshots snapshots) {
    GaugeSnapshot up = (GaugeSnapshot) snapshots.stream()
        .filter(s -> s.getMetadata().getName().equals("lifeboat_metrics_source_up")).findFirst().orElseThrow();
    return up.getDataPoints().stream().collect(Collectors.toMap(p -> p.getLabels().get("source"), p -> p.getValue()));
  }

  private static List<String> names(MetricSnapshots snapshots) {
    return snapshots.stream().map(s -> s.getMetadata().getName()).toList();
  }

  @Test
  void aSourceThatFails_isLeftOut_andTheOthersStillAnswer() {
    LifeboatCollector collector = new LifeboatCollector(down, CLOCK, List.of(
        source("runs", scrape -> one("lifeboat_a", 1)),
        source("temporary_instances", scrape -> {
          scrape.instances();
          return one("lifeboat_b", 2);
        }),
        source("pitr_windows", scrape -> {
          scrape.problem("window of techcorp-primary", new IllegalStateException("boom"));
          return one("lifeboat_c", 3);
        })), TTL, ticker::get);

    MetricSnapshots snapshots = collector.collect();

    assertThat(names(snapshots)).containsExactlyInAnyOrder("lifeboat_a", "lifeboat_c", "lifeboat_metrics_source_up");
    assertThat(up(snapshots)).containsExactlyInAnyOrderEntriesOf(
        Map.of("runs", 1.0, "temporary_instances", 0.0, "pitr_windows", 0.0));
  }

  @Test
  void oneListingOfInstances_perRefresh_evenWhenItFails() {
    MetricSource usesInstances = source("x", scrape -> {
      scrape.instances();
      return List.of();
    });
    LifeboatCollector collector = new LifeboatCollector(down, CLOCK, List.of(usesInstances,
        source("y", usesInstances::collect)), TTL, ticker::get);

    collector.collect();

    assertThat(listings).hasValue(1);
  }

  @Test
  void aRefresh_answersScrapesForItsTtl() {
    AtomicInteger reads = new AtomicInteger();
    LifeboatCollector collector = new LifeboatCollector(down, CLOCK, List.of(
        source("runs", scrape -> one("lifeboat_a", reads.incrementAndGet()))), TTL, ticker::get);

    collector.collect();
    ticker.addAndGet(TTL.minusMillis(1).toNanos());
    collector.collect();
    assertThat(reads).hasValue(1);

    ticker.addAndGet(Duration.ofMillis(1).toNanos());
    MetricSnapshots fresh = collector.collect();
    assertThat(reads).hasValue(2);
    assertThat(((GaugeSnapshot) fresh.get(0)).getDataPoints().get(0).getValue()).isEqualTo(2);
  }

  @Test
  void aSourceWithTwoDataPointsOfTheSameLabels_isLeftOut_notTheScrape() {
    LifeboatCollector collector = new LifeboatCollector(down, CLOCK, List.of(
        source("runs", scrape -> Families.snapshots(
            Families.gauge("lifeboat_dup", "test").add(1, "instance", "a").add(2, "instance", "a"))),
        source("drills", scrape -> one("lifeboat_ok", 1))), TTL, ticker::get);

    MetricSnapshots snapshots = collector.collect();

    assertThat(names(snapshots)).containsExactlyInAnyOrder("lifeboat_ok", "lifeboat_metrics_source_up");
    assertThat(up(snapshots)).containsEntry("runs", 0.0).containsEntry("drills", 1.0);
  }
}
