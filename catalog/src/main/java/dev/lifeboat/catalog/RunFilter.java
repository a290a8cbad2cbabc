package dev.lifeboat.catalog;

import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunPhase;

/** Filters of a run list; null means any. */
public record RunFilter(RunKind kind, RunPhase phase, String instance) {
  public static final RunFilter ALL = new RunFilter(null, null, null);
}
