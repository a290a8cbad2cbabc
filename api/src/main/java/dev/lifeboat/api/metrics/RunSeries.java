package dev.lifeboat.api.metrics;

import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.catalog.RunStore.PhaseCount;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs by kind from the catalog: started, finished by outcome, and in progress by phase. The
 * counters are counts of catalog rows, so they hold across restarts of the API and add up the
 * runs of every worker; every kind and outcome is sent from the start, at zero, so that
 * {@code increase()} sees a kind's first failure.
 */
final class RunSeries implements MetricSource {
  private final RunStore runs;

  RunSeries(RunStore runs) {
    this.runs = runs;
  }

  @Override
  public String name() {
    return "runs";
  }

  @Override
  public List<MetricSnapshot> collect(Scrape scrape) {
    Map<String, Map<String, Long>> byKind = new TreeMap<>();
    for (RunKind kind : RunKind.values()) {
      Map<String, Long> phases = new TreeMap<>();
      Arrays.stream(RunPhase.values()).forEach(phase -> phases.put(phase.wireName(), 0L));
      byKind.put(kind.wireName(), phases);
    }
    for (PhaseCount count : runs.countByKindAndPhase()) {
      byKind.computeIfAbsent(count.kind(), k -> new TreeMap<>()).merge(count.phase(), count.runs(), Long::sum);
    }

    var started = Families.counter("lifeboat_runs_started",
        "Runs recorded in the catalog, by kind (every phase).");
    var finished = Families.counter("lifeboat_runs_finished",
        "Runs that ended, by kind and outcome (succeeded, failed, cancelled).");
    var active = Families.gauge("lifeboat_runs_active",
        "Runs not ended yet, by kind and phase (pending, running, waiting-approval).");
    byKind.forEach((kind, phases) -> {
      started.add(phases.values().stream().mapToLong(Long::longValue).sum(), "kind", kind);
      phases.forEach((phase, count) -> {
        if (terminal(phase)) {
          finished.add(count, "kind", kind, "outcome", phase);
        } else {
          active.add(count, "kind", kind, "phase", phase);
        }
      });
    });
    return Families.snapshots(started, finished, active);
  }

  private static boolean terminal(String phase) {
    return Arrays.stream(RunPhase.values()).anyMatch(p -> p.terminal() && p.wireName().equals(phase));
  }
}
