package dev.lifeboat.api.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dropwizard's registry (JVM, Jetty, the catalog's connection pool) in Prometheus names, e.g.
 * {@code jvm_memory_heap_used}. A gauge that throws is skipped; if the bridge fails as a whole (two
 * Dropwizard names that read the same in Prometheus, say), its series are left out of the scrape
 * instead of failing it. Dropwizard metrics under {@code lifeboat.} are not bridged: that prefix
 * belongs to the series of this package.
 */
final class DropwizardBridge implements MultiCollector {
  private static final Logger LOG = LoggerFactory.getLogger(DropwizardBridge.class);

  private final PrometheusRegistry bridged = new PrometheusRegistry();

  DropwizardBridge(MetricRegistry metrics) {
    DropwizardExports.builder()
        .dropwizardRegistry(metrics)
        .metricFilter((name, metric) -> !name.startsWith("lifeboat."))
        .invalidMetricHandler((name, e) -> {
          LOG.debug("Dropwizard metric {} left out of the scrape: {}", name, e.toString());
          return true;
        })
        .register(bridged);
  }

  @Override
  public MetricSnapshots collect() {
    try {
      return bridged.scrape();
    } catch (RuntimeException e) {
      LOG.warn("Dropwizard's metrics left out of the scrape: {}", e.toString());
      return new MetricSnapshots();
    }
  }
}
