package dev.lifeboat.api.drills;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.MetricRegistry;
import dev.lifeboat.catalog.DrillReportStore;
import dev.lifeboat.common.model.DrillReport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drill outcomes as metrics (on {@code /admin/metrics}) for alerting: whether the newest drill
 * passed, its RTO and RPO, and how many of the newest drills failed. Read from the catalog, at most
 * every 30 seconds.
 */
public final class DrillMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(DrillMetrics.class);
  public static final String PREFIX = "lifeboat.drills.";

  private DrillMetrics() {}

  public static void register(MetricRegistry metrics, DrillReportStore reports) {
    gauge(metrics, "lastPassed", reports, recent -> recent.isEmpty() ? null : recent.get(0).passed() ? 1 : 0);
    gauge(metrics, "lastRtoSeconds", reports, recent -> recent.isEmpty() || recent.get(0).rto() == null
        || recent.get(0).rto().measured() == null ? null : recent.get(0).rto().measured().toMillis() / 1000.0);
    gauge(metrics, "lastRpoSeconds", reports, recent -> recent.isEmpty() || recent.get(0).rpo() == null
        || recent.get(0).rpo().measured() == null ? null : recent.get(0).rpo().measured().toMillis() / 1000.0);
    gauge(metrics, "failedOfLast10", reports, recent -> recent.stream().filter(r -> !r.passed()).count());
  }

  private static void gauge(MetricRegistry metrics, String name, DrillReportStore reports,
      Function<List<DrillReport>, Object> value) {
    String full = PREFIX + name;
    metrics.remove(full);
    metrics.register(full, new CachedGauge<Object>(30, TimeUnit.SECONDS) {
      @Override
      protected Object loadValue() {
        try {
          return value.apply(reports.recent(null, null, DrillTrend.WINDOW));
        } catch (RuntimeException e) {
          LOG.warn("drill metric {} unavailable: {}", full, e.getMessage());
          return null;
        }
      }
    });
  }
}
