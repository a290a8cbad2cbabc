package dev.lifeboat.common.activity;

import dev.lifeboat.common.model.CompareSpec;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.ExportSpec;
import dev.lifeboat.common.model.ImportOutcome;
import dev.lifeboat.common.model.ImportSpec;
import dev.lifeboat.common.model.TableComparison;
import dev.lifeboat.common.model.TableRef;
import io.temporal.activity.ActivityInterface;
import java.time.Instant;
import java.util.List;

/**
 * Table copy between instances: export with binary COPY into the export store, compare, import.
 * Never holds a table in memory; long ones heartbeat rows and bytes. Method names are activity
 * type names: never rename one.
 */
@ActivityInterface
public interface TableActivities {
  /**
   * Looks each table up in the instance's {@code pg_catalog}.
   *
   * @throws dev.lifeboat.common.LifeboatException TABLE_NOT_FOUND, NOT_A_PLAIN_TABLE (a view,
   *     materialized view, partitioned parent, foreign table)
   */
  List<TableRef> resolveTables(String instanceId, List<TableRef> tables);

  /**
   * Exports every table, then writes the manifest. A retry keeps tables an earlier attempt
   * exported completely (checksum verified) and redoes a partial one; the run id is the export id.
   */
  ExportManifest exportTables(ExportSpec spec);

  /** Compares one exported table with the current rows, streaming both sides in key order. */
  TableComparison compareTable(CompareSpec spec);

  /**
   * Loads one exported table into the target in one transaction, per mode. A retry after a crash
   * finds either nothing (the transaction rolled back) or the marker of its committed attempt.
   *
   * @throws dev.lifeboat.common.LifeboatException NO_PRIMARY_KEY, SCHEMA_DRIFT, IMPORT_CONFLICT,
   *     TABLE_NOT_FOUND
   */
  ImportOutcome importTable(ImportSpec spec);

  /** Deletes the exports whose retention ended before {@code now}; returns their ids. */
  List<String> expireExports(Instant now);
}
