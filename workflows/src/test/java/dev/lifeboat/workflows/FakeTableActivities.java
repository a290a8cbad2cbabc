package dev.lifeboat.workflows;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.activity.TableActivities;
import dev.lifeboat.common.model.ColumnDrift;
import dev.lifeboat.common.model.ColumnInfo;
import dev.lifeboat.common.model.CompareSpec;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.ExportSpec;
import dev.lifeboat.common.model.ImportOutcome;
import dev.lifeboat.common.model.ImportSpec;
import dev.lifeboat.common.model.TableComparison;
import dev.lifeboat.common.model.TableManifest;
import dev.lifeboat.common.model.TableRef;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Table activities that only record what they are asked, so the workflow's logic is tested alone. */
final class FakeTableActivities implements TableActivities {
  final List<ExportSpec> exports = new CopyOnWriteArrayList<>();
  final List<CompareSpec> compares = new CopyOnWriteArrayList<>();
  final List<ImportSpec> imports = new CopyOnWriteArrayList<>();
  volatile ErrorType resolveFailure;
  volatile boolean withoutPrimaryKey;
  volatile ColumnDrift drift = ColumnDrift.NONE;

  @Override
  public List<TableRef> resolveTables(String instanceId, List<TableRef> tables) {
    if (resolveFailure != null) {
      throw ApplicationFailure.newNonRetryableFailure("no such table", resolveFailure.name());
    }
    return tables;
  }

  @Override
  public ExportManifest exportTables(ExportSpec spec) {
    exports.add(spec);
    List<TableManifest> tables = spec.tables().stream().map(t -> new TableManifest(t,
        List.of(new ColumnInfo("id", "integer", true), new ColumnInfo("amount", "numeric(12,2)", false)),
        withoutPrimaryKey ? List.of() : List.of("id"), 1000, 40_000, "ab12", spec.runId() + "/" + t.display(),
        TableManifest.BINARY_COPY, spec.pointInTime())).toList();
    return new ExportManifest(spec.runId(), spec.sourceInstance(), spec.pointInTime(), spec.fromInstance(),
        "file:///exports", tables, Instant.EPOCH, spec.expiresAt());
  }

  @Override
  public TableComparison compareTable(CompareSpec spec) {
    compares.add(spec);
    return new TableComparison(spec.table().table(), true, true, 1000, 900, 100, 0, 0, List.of("id", "amount"),
        drift, List.of("[1]"), List.of(), List.of(), spec.currentInstance());
  }

  final List<Instant> expiries = new CopyOnWriteArrayList<>();

  @Override
  public List<String> expireExports(Instant now) {
    expiries.add(now);
    return List.of("tables-techcorp-primary-old00001");
  }

  @Override
  public ImportOutcome importTable(ImportSpec spec) {
    imports.add(spec);
    return new ImportOutcome(spec.table().table(), spec.mode(), spec.table().table().display(), null, 1000, 100,
        List.of("id", "amount"), false);
  }
}
