package dev.lifeboat.workflows;

import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.model.RunState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

final class RecordingCatalogActivities implements CatalogActivities {
  final List<RunState> recorded = new CopyOnWriteArrayList<>();

  @Override
  public void recordRun(RunState state) {
    recorded.add(state);
  }

  RunState last() {
    return recorded.get(recorded.size() - 1);
  }
}
