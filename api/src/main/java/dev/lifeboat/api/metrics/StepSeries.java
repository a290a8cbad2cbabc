package dev.lifeboat.api.metrics;

import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.catalog.RunStore.StepTimings;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the steps of runs take, from the step timings in the catalog. Two views, both exact:
 * a summary without quantiles (count and sum of every finished step, by kind, step and status:
 * {@code rate(_sum) / rate(_count)} is the mean over a range), and the duration of the step that
 * finished last, by kind and step, which is what a weekly drill or a daily snapshot shows best.
 * Steps still running are in neither.
 */
final class StepSeries implements MetricSource {
  private final RunStore runs;

  StepSeries(RunStore runs) {
    this.runs = runs;
  }

  @Override
  public String name() {
    return "steps";
  }

  @Override
  public List<MetricSnapshot> collect(Scrape scrape) {
    var durations = Families.summary("lifeboat_run_step_duration_seconds",
        "Durations of finished run steps, by run kind, step and step status (count and sum; no quantiles).");
    var last = Families.gauge("lifeboat_run_step_last_duration_seconds",
        "Duration of the run step of this kind and name that finished last, whatever its status.");
    Map<List<String>, StepTimings> newest = new LinkedHashMap<>();
    for (StepTimings t : runs.stepTimings()) {
      durations.add(t.steps(), t.seconds(), "kind", t.kind(), "step", t.step(), "status", t.status());
      newest.merge(List.of(t.kind(), t.step()), t, StepSeries::stoppedLater);
    }
    newest.forEach((key, t) -> last.add(t.lastSeconds(), "kind", key.get(0), "step", key.get(1)));
    return Families.snapshots(durations, last);
  }

  private static StepTimings stoppedLater(StepTimings a, StepTimings b) {
    if (b.lastStoppedAt() == null) {
      return a;
    }
    return a.lastStoppedAt() == null || b.lastStoppedAt().isAfter(a.lastStoppedAt()) ? b : a;
  }
}
