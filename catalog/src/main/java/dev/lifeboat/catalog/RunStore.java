package dev.lifeboat.catalog;

import dev.lifeboat.common.model.RunState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Runs and their steps, as recorded by workflows, activities and the API. */
public interface RunStore {
  /** Upserts the run and its steps; recording the same state twice changes nothing. */
  void save(RunState state);

  /**
   * Live progress of the running step, written by activities between the workflow's own saves.
   * Does nothing when the run is unknown or already terminal.
   */
  void updateProgress(String runId, Integer percent, Long bytes, String detail);

  Optional<RunState> find(String runId);

  /** Newest first (by startedAt, then runId). */
  Page<RunState> list(RunFilter filter, String cursor, int limit);

  /** How many runs of each kind are in each phase, over the whole catalog (for metrics). */
  List<PhaseCount> countByKindAndPhase();

  /**
   * Timings of the finished steps (both times recorded) per run kind, step name and step status,
   * over the whole catalog (for metrics).
   */
  List<StepTimings> stepTimings();

  /** @param kind and {@code phase} as their wire names, e.g. {@code table-recovery}, {@code succeeded} */
  record PhaseCount(String kind, String phase, long runs) {}

  /**
   * @param kind the run kind's wire name
   * @param steps how many finished steps
   * @param seconds their durations added up
   * @param lastSeconds the duration of the one that stopped last
   * @param lastStoppedAt when that one stopped
   */
  record StepTimings(String kind, String step, String status, long steps, double seconds, double lastSeconds,
      Instant lastStoppedAt) {}
}
