package dev.lifeboat.catalog;

import dev.lifeboat.common.model.RunState;
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
}
