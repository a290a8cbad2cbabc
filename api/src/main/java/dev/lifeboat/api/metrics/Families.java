package dev.lifeboat.api.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builders for the metric families of one refresh, data point by data point. A family with no
 * data point is left out rather than sent as a bare HELP line. The unit follows the name's
 * suffix ({@code _seconds}, {@code _bytes}), so the two cannot disagree.
 */
public final class Families {
  private Families() {}

  public static Gauge gauge(String name, String help) {
    return new Gauge(name, help);
  }

  /** A counter: {@code name} without {@code _total}, which the exposition adds. */
  public static Counter counter(String name, String help) {
    return new Counter(name, help);
  }

  /** A summary without quantiles: {@code _count} and {@code _sum} only. */
  public static Summary summary(String name, String help) {
    return new Summary(name, help);
  }

  /** The snapshots of those families that have data points, in this order. */
  public static List<MetricSnapshot> snapshots(Family... families) {
    List<MetricSnapshot> out = new ArrayList<>();
    for (Family family : families) {
      if (!family.empty) {
        out.add(family.build());
      }
    }
    return out;
  }

  private static <B extends MetricSnapshot.Builder<B>> B described(B builder, String name, String help) {
    builder.name(name).help(help);
    if (name.endsWith("_seconds")) {
      builder.unit(Unit.SECONDS);
    } else if (name.endsWith("_bytes")) {
      builder.unit(Unit.BYTES);
    }
    return builder;
  }

  /** One family being filled. */
  public abstract static class Family {
    private boolean empty = true;

    abstract MetricSnapshot build();

    void added() {
      empty = false;
    }
  }

  public static final class Gauge extends Family {
    private final GaugeSnapshot.Builder builder;

    private Gauge(String name, String help) {
      builder = described(GaugeSnapshot.builder(), name, help);
    }

    /** @param labels label names and values, alternating */
    public Gauge add(double value, String... labels) {
      builder.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
      added();
      return this;
    }

    @Override
    MetricSnapshot build() {
      return builder.build();
    }
  }

  public static final class Counter extends Family {
    private final CounterSnapshot.Builder builder;

    private Counter(String name, String help) {
      builder = described(CounterSnapshot.builder(), name, help);
    }

    /** @param labels label names and values, alternating */
    public Counter add(double value, String... labels) {
      builder.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
      added();
      return this;
    }

    @Override
    MetricSnapshot build() {
      return builder.build();
    }
  }

  public static final class Summary extends Family {
    private final SummarySnapshot.Builder builder;

    private Summary(String name, String help) {
      builder = described(SummarySnapshot.builder(), name, help);
    }

    /** @param labels label names and values, alternating */
    public Summary add(long count, double sum, String... labels) {
      builder.dataPoint(SummaryDataPointSnapshot.builder().labels(Labels.of(labels)).count(count).sum(sum).build());
      added();
      return this;
    }

    @Override
    MetricSnapshot build() {
      return builder.build();
    }
  }
}
