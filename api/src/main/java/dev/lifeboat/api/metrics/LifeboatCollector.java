package dev.lifeboat.api.metrics;

import dev.lifeboat.common.platform.Platform;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifeboat's own series, read from their sources on a scrape and kept for a few seconds, so that
 * two Prometheus servers scraping every few seconds ask the catalog and the platform (RDS: API
 * calls) once. One refresh runs at a time; scrapes meanwhile wait for it and share its result. A
 * source that fails is logged (once when it goes down, again when it is back) and left out, and
 * {@code lifeboat_metrics_source_up} says which: a scrape never fails because of one source.
 */
final class LifeboatCollector implements MultiCollector {
  /** How long one refresh answers scrapes. */
  static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(LifeboatCollector.class);

  private final Platform platform;
  private final Clock clock;
  private final List<MetricSource> sources;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Boolean> wasUp = new HashMap<>();
  private MetricSnapshots cached;
  private long refreshedAt;

  /** @param nanoTime the ticker the TTL is measured on ({@code System::nanoTime}) */
  LifeboatCollector(Platform platform, Clock clock, List<MetricSource> sources, Duration ttl,
      LongSupplier nanoTime) {
    this.platform = platform;
    this.clock = clock;
    this.sources = List.copyOf(sources);
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized MetricSnapshots collect() {
    long now = nanoTime.getAsLong();
    if (cached == null || now - refreshedAt >= ttlNanos) {
      cached = refresh();
      refreshedAt = nanoTime.getAsLong();
    }
    return cached;
  }

  private MetricSnapshots refresh() {
    Scrape scrape = new Scrape(clock.instant(), platform);
    List<MetricSnapshot> out = new ArrayList<>();
    var up = Families.gauge("lifeboat_metrics_source_up",
        "1 when the source of Lifeboat's series was read on the last refresh; 0: its series are missing or partial.");
    for (MetricSource source : sources) {
      List<String> problems = new ArrayList<>();
      try {
        out.addAll(source.collect(scrape));
        problems.addAll(scrape.takeProblems());
      } catch (RuntimeException e) {
        problems.addAll(scrape.takeProblems());
        problems.add(e.toString());
      }
      report(source.name(), problems);
      up.add(problems.isEmpty() ? 1 : 0, "source", source.name());
    }
    out.addAll(Families.snapshots(up));
    return new MetricSnapshots(out);
  }

  private void report(String source, List<String> problems) {
    Boolean before = wasUp.put(source, problems.isEmpty());
    if (problems.isEmpty()) {
      if (Boolean.FALSE.equals(before)) {
        LOG.info("metrics source {} can be read again", source);
      }
    } else if (before == null || before) {
      LOG.warn("metrics source {} cannot be read, its series are left out: {}", source, String.join("; ", problems));
    } else {
      LOG.debug("metrics source {} still cannot be read: {}", source, String.join("; ", problems));
    }
  }
}
