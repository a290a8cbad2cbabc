package dev.lifeboat.activities;

import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.catalog.AuditLog;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.catalog.SnapshotInventory;
import dev.lifeboat.common.activity.CatalogActivities;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Clock;

public class CatalogActivitiesImpl implements CatalogActivities {
  /** Where audit entries written by workflows say they come from. */
  static final String SOURCE = "lifeboat-worker";

  private final RunStore runs;
  private final AuditLog audit;
  private final SnapshotInventory inventory;
  private final Clock clock;

  public CatalogActivitiesImpl(Catalog catalog, Clock clock) {
    this.runs = catalog.runs();
    this.audit = catalog.audit();
    this.inventory = catalog.snapshots();
    this.clock = clock;
  }

  @Override
  public void recordRun(RunState state) {
    runs.save(state);
  }

  @Override
  public void recordAudit(String principal, String action, String runId, String detailJson) {
    audit.append(new AuditEntry(null, clock.instant(), principal, null, action, runId, detailJson, 200, SOURCE));
  }

  @Override
  public void recordSnapshot(SnapshotInfo snapshot, String runId) {
    inventory.record(snapshot, runId);
  }

  @Override
  public void recordSnapshotDeleted(String region, String snapshotId) {
    inventory.markDeleted(region, snapshotId, clock.instant());
  }
}
