package dev.lifeboat.activities;

import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.model.RunState;

public class CatalogActivitiesImpl implements CatalogActivities {
  private final RunStore runs;

  public CatalogActivitiesImpl(RunStore runs) {
    this.runs = runs;
  }

  @Override
  public void recordRun(RunState state) {
    runs.save(state);
  }
}
