package dev.lifeboat.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The snapshot inventory on a real PostgreSQL 15: upserts, keeps deleted rows as history. */
class JdbiSnapshotInventoryIT {
  private static TestPostgres postgres;
  private static SnapshotInventory inventory;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start("catalog-inventory");
    inventory = Catalog.open(postgres.dataSource()).snapshots();
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static SnapshotInfo snapshot(String id, String region, String stoppedAt) {
    Instant stopped = Instant.parse(stoppedAt);
    return new SnapshotInfo(id, "inv-db", region, "available", stopped.minusSeconds(30), stopped, 4096,
        Map.of("policy", "daily"));
  }

  @Test
  void record_upserts_listsNewestFirst_andDeletionKeepsHistory() {
    inventory.record(snapshot("lb-inv-db-1", "local-1", "2026-11-20T03:00:30Z"), "snapshot-run-1");
    inventory.record(snapshot("lb-inv-db-2", "local-1", "2026-11-21T03:00:30Z"), "snapshot-run-2");
    inventory.record(snapshot("lb-inv-db-2", "dr-1", "2026-11-21T03:00:30Z"), "copy-run-2");
    inventory.record(snapshot("lb-inv-db-2", "local-1", "2026-11-21T03:00:30Z"), "snapshot-run-2");

    assertThat(inventory.list("inv-db", "local-1", false)).extracting(e -> e.snapshot().id())
        .containsExactly("lb-inv-db-2", "lb-inv-db-1");
    assertThat(inventory.list("inv-db", "dr-1", false)).singleElement()
        .satisfies(e -> assertThat(e.runId()).isEqualTo("copy-run-2"))
        .satisfies(e -> assertThat(e.snapshot().tags()).containsEntry("policy", "daily"));

    inventory.markDeleted("local-1", "lb-inv-db-1", Instant.parse("2026-11-28T06:00:00Z"));

    assertThat(inventory.list("inv-db", "local-1", false)).extracting(e -> e.snapshot().id())
        .containsExactly("lb-inv-db-2");
    assertThat(inventory.list("inv-db", "local-1", true)).filteredOn(e -> e.deletedAt() != null)
        .singleElement().satisfies(e -> assertThat(e.snapshot().status()).isEqualTo("deleted"));
  }
}
