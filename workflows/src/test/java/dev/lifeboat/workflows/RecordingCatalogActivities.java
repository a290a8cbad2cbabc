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

  @Override
  public void recordAudit(String principal, String action, String runId, String detailJson) {
    audits.add(action + " " + detailJson);
  }

  final List<String> audits = new CopyOnWriteArrayList<>();
  /** "region/id" recorded in the inventory; deleted ones end with " deleted". */
  final List<String> inventory = new CopyOnWriteArrayList<>();

  @Override
  public void recordSnapshot(dev.lifeboat.common.model.SnapshotInfo snapshot, String runId) {
    inventory.add(snapshot.region() + "/" + snapshot.id());
  }

  @Override
  public void recordSnapshotDeleted(String region, String snapshotId) {
    inventory.add(region + "/" + snapshotId + " deleted");
  }

  RunState last() {
    return recorded.get(recorded.size() - 1);
  }
}
