package dev.lifeboat.api.metrics;

import dev.lifeboat.api.ApiContext;
import dev.lifeboat.api.drills.DrillMetrics;
import dev.lifeboat.api.preflight.Preflight;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * Prometheus metrics on the admin context at {@value #PATH} ({@code /admin/metrics} with the
 * built-in simple server, {@code /metrics} on a default server's admin port), in the text format
 * 0.0.4 unless the scraper asks for OpenMetrics: Lifeboat's series (runs, step durations,
 * snapshots, point-in-time windows, temporary instances, drills), read from the catalog and the
 * platform on a scrape, and Dropwizard's registry (JVM, Jetty, catalog pool).
 *
 * <p>Registered in the API role only: the catalog and the platform are shared, so a worker
 * exporting the same series would count every run twice in a sum over targets. The path replaces
 * Dropwizard's JSON view of its registry, which the bridge carries.
 */
public final class LifeboatMetrics {
  public static final String PATH = "/metrics";

  private LifeboatMetrics() {}

  /** @return the registry behind the servlet */
  public static PrometheusRegistry register(Environment environment, ApiContext context, Preflight preflight) {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new DropwizardBridge(environment.metrics()));
    registry.register(new LifeboatCollector(context.platform(), context.clock(), sources(context, preflight),
        LifeboatCollector.DEFAULT_TTL, System::nanoTime));
    environment.admin().addServlet("prometheus-metrics", new PrometheusMetricsServlet(registry)).addMapping(PATH);
    return registry;
  }

  static List<MetricSource> sources(ApiContext context, Preflight preflight) {
    var runs = context.catalog().runs();
    return List.of(
        new RunSeries(runs),
        new StepSeries(runs),
        new DrillMetrics(context.catalog().drills(), context.schedules()),
        new SnapshotSeries(context.platform()),
        new PitrWindowSeries(context.platform(), context.schedules()),
        new TemporaryInstanceSeries(context.platform()),
        new PreflightSeries(preflight));
  }
}
