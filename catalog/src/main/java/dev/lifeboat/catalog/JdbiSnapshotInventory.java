package dev.lifeboat.catalog;

import static dev.lifeboat.catalog.CatalogFailures.guard;

import dev.lifeboat.common.model.SnapshotInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@link SnapshotInventory} on the {@code snapshot_inventory} table. */
public final class JdbiSnapshotInventory implements SnapshotInventory {
  private final Jdbi jdbi;

  JdbiSnapshotInventory(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void record(SnapshotInfo s, String runId) {
    guard(() -> jdbi.useHandle(handle -> handle.createUpdate("""
            INSERT INTO snapshot_inventory (region, snapshot_id, instance, status, started_at, stopped_at, bytes,
                                            tags, run_id)
            VALUES (:region, :id, :instance, :status, :startedAt, :stoppedAt, :bytes, CAST(:tags AS jsonb), :runId)
            ON CONFLICT (region, snapshot_id) DO UPDATE SET
              status = excluded.status, started_at = excluded.started_at, stopped_at = excluded.stopped_at,
              bytes = excluded.bytes, tags = excluded.tags, run_id = excluded.run_id, recorded_at = now(),
              deleted_at = NULL
            """)
        .bind("region", s.region())
        .bind("id", s.id())
        .bind("instance", s.instance())
        .bind("status", s.status())
        .bind("startedAt", DbTime.bind(s.startedAt()))
        .bind("stoppedAt", DbTime.bind(s.stoppedAt()))
        .bind("bytes", s.bytes())
        .bind("tags", CatalogJson.write(s.tags() == null ? Map.of() : s.tags()))
        .bind("runId", runId)
        .execute()));
  }

  @Override
  public void markDeleted(String region, String snapshotId, Instant at) {
    guard(() -> jdbi.useHandle(handle -> handle.createUpdate("""
            UPDATE snapshot_inventory SET deleted_at = :at, status = 'deleted'
            WHERE region = :region AND snapshot_id = :id AND deleted_at IS NULL
            """)
        .bind("at", DbTime.bind(at))
        .bind("region", region)
        .bind("id", snapshotId)
        .execute()));
  }

  @Override
  public List<InventoryEntry> list(String instance, String region, boolean includeDeleted) {
    return guard(() -> jdbi.withHandle(handle -> handle.createQuery("""
            SELECT region, snapshot_id, instance, status, started_at, stopped_at, bytes, tags::text AS tags, run_id,
                   recorded_at, deleted_at
            FROM snapshot_inventory
            WHERE (CAST(:instance AS text) IS NULL OR instance = :instance)
              AND (CAST(:region AS text) IS NULL OR region = :region)
              AND (:includeDeleted OR deleted_at IS NULL)
            ORDER BY stopped_at DESC NULLS LAST, snapshot_id DESC
            """)
        .bind("instance", instance)
        .bind("region", region)
        .bind("includeDeleted", includeDeleted)
        .map((rs, ctx) -> {
          Map<String, Object> tags = CatalogJson.readMap(rs.getString("tags"));
          Map<String, String> stringTags = new java.util.LinkedHashMap<>();
          tags.forEach((k, v) -> stringTags.put(k, String.valueOf(v)));
          return new InventoryEntry(new SnapshotInfo(rs.getString("snapshot_id"), rs.getString("instance"),
              rs.getString("region"), rs.getString("status"), DbTime.read(rs, "started_at"),
              DbTime.read(rs, "stopped_at"), rs.getLong("bytes"), stringTags), rs.getString("run_id"),
              DbTime.read(rs, "recorded_at"), DbTime.read(rs, "deleted_at"));
        })
        .list()));
  }
}
