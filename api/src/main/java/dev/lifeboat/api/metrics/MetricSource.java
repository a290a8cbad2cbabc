package dev.lifeboat.api.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * One place Lifeboat's series are read from (the catalog's runs, the platform's snapshots ...),
 * read on a scrape. A source that fails is left out of that scrape, and only that source: the
 * others and {@code lifeboat_metrics_source_up} still answer.
 */
public interface MetricSource {
  /** The {@code source} label of {@code lifeboat_metrics_source_up}, e.g. {@code runs}. */
  String name();

  /**
   * The source's series now. Throws when the source cannot be read at all; a part that cannot be
   * read (one instance's window, say) is left out and told to {@link Scrape#problem}.
   */
  List<MetricSnapshot> collect(Scrape scrape);
}
