package dev.lifeboat.api.tables;

import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.Primaries;
import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.restore.TargetTime;
import dev.lifeboat.api.views.TableRecoveryBody;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.TableNames;
import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.SchemaDriftPolicy;
import dev.lifeboat.common.model.TableRecoveryRequest;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a table recovery completely before anything starts: fields and names first (no I/O),
 * then the instance and the replica to compare on, the platform's verdict on the target time,
 * and each table in the replica's {@code pg_catalog}. User input reaches the database only as
 * bind parameters of that lookup.
 */
public final class TableRecoveryValidator {
  private final Platform platform;
  private final TableCheck tables;
  private final TableRecoverySettings settings;

  public TableRecoveryValidator(Platform platform, TableCheck tables, TableRecoverySettings settings) {
    this.platform = platform;
    this.tables = tables;
    this.settings = settings;
  }

  public TableRecoveryRequest validate(TableRecoveryBody body, String requester) {
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"instance\": \"techcorp-primary\","
          + " \"targetTime\": \"2026-11-24T14:01:00Z\", \"tables\": [\"payments.refunds\"], \"mode\": \"insert-missing\","
          + " \"reason\": \"refunds deleted at 14:02\"}.");
    }
    String instance = RequestText.required("instance", body.instance());
    if (!Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance", "instance '" + instance + "' is not an instance id, e.g. techcorp-primary.");
    }
    Instant targetTime = TargetTime.parse("targetTime", RequestText.required("targetTime", body.targetTime()));
    List<TableRef> refs = tableRefs(body.tables());
    ImportMode mode = mode(body.mode());
    SchemaDriftPolicy drift = drift(body.allowSchemaDrift());
    Duration approvalTimeout = approvalTimeout(body.approvalTimeout());
    String reason = RequestText.reason(body.reason());
    boolean requireApproval = body.requireApproval() == null || body.requireApproval();

    Primaries.require(platform, "instance", instance,
        "a table recovery imports into a primary, and restores the primary's backups", "Recover from");
    String compareOn = compareOn(instance, body.compareOn());
    // the platform owns the window: future, outside the window, missing WAL
    platform.planRestore(instance, targetTime);
    for (TableRef table : refs) {
      checkTable(compareOn, table, mode);
    }
    return new TableRecoveryRequest(instance, targetTime, refs, mode, requireApproval, drift, compareOn,
        approvalTimeout, settings.exportRetention(), reason, requester);
  }

  private List<TableRef> tableRefs(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw InvalidRequest.field("tables", "tables is required: a list of schema.table names, e.g. [\"payments.refunds\"].");
    }
    if (names.size() > settings.maxTables()) {
      throw InvalidRequest.field("tables", "At most " + settings.maxTables() + " tables per request; split the recovery.");
    }
    Set<TableRef> refs = new LinkedHashSet<>();
    for (String name : names) {
      TableRef ref = TableNames.parse(name);
      if (!refs.add(ref)) {
        throw InvalidRequest.field("tables", "Table " + ref.display() + " is listed twice.");
      }
    }
    return new ArrayList<>(refs);
  }

  /**
   * The table must be an ordinary table where it exists now. For new-table it may be gone now (a
   * dropped table is brought back as a new one; the restored catalog is checked when the run
   * reaches it); the other modes write into it, so it must exist.
   */
  private void checkTable(String compareOn, TableRef table, ImportMode mode) {
    try {
      tables.check(compareOn, table);
    } catch (LifeboatException e) {
      if (e.type() == ErrorType.TABLE_NOT_FOUND && mode == ImportMode.NEW_TABLE) {
        return;
      }
      if (e.type() == ErrorType.TABLE_NOT_FOUND) {
        throw new LifeboatException(ErrorType.TABLE_NOT_FOUND, "Table " + table.display() + " does not exist now ("
            + "checked on " + compareOn + "), so " + mode.wireName() + " has nothing to write into. Use mode "
            + "new-table to bring it back as a new table, or check the name (GET the schema's tables with psql \\dt).",
            Map.of("field", "tables", "table", table.display()), e);
      }
      throw e;
    }
  }

  private String compareOn(String instance, String requested) {
    if (requested != null) {
      InstanceInfo replica = platform.findInstance(requested).orElseThrow(() -> InvalidRequest.field("compareOn",
          "No managed instance is called '" + requested + "'; GET /v1/instances lists them."));
      if (replica.role() != InstanceRole.REPLICA || !instance.equals(replica.source())) {
        throw InvalidRequest.field("compareOn", "compareOn must be a replica of " + instance + " (the comparison "
            + "never reads the primary); " + requested + " is not.");
      }
      return requested;
    }
    String configured = settings.compareOn().get(instance);
    if (configured != null) {
      return configured;
    }
    List<InstanceInfo> replicas = platform.listInstances().stream()
        .filter(info -> info.role() == InstanceRole.REPLICA && instance.equals(info.source()))
        .toList();
    return replicas.stream().filter(info -> info.id().contains("analytics")).findFirst()
        .or(() -> replicas.size() == 1 ? replicas.stream().findFirst() : java.util.Optional.empty())
        .map(InstanceInfo::id)
        .orElseThrow(() -> new LifeboatException(ErrorType.NO_COMPARE_REPLICA, instance + " has "
            + (replicas.isEmpty() ? "no replica" : replicas.size() + " replicas and none is marked analytics")
            + " to read current rows from, and the comparison never loads the primary. Name one in \"compareOn\" "
            + "or configure tableRecovery.compareOn." + instance + ".",
            Map.of("field", "compareOn", "replicas", replicas.stream().map(InstanceInfo::id).toList())));
  }

  private static ImportMode mode(String text) {
    if (text == null) {
      return ImportMode.NEW_TABLE;
    }
    try {
      return ImportMode.fromWireName(text);
    } catch (IllegalArgumentException e) {
      throw InvalidRequest.field("mode", "mode '" + text + "' is not one of new-table, insert-missing, replace.",
          Map.of("allowed", Arrays.stream(ImportMode.values()).map(ImportMode::wireName).toList()));
    }
  }

  private static SchemaDriftPolicy drift(String text) {
    if (text == null) {
      return SchemaDriftPolicy.REFUSE;
    }
    try {
      return SchemaDriftPolicy.fromWireName(text);
    } catch (IllegalArgumentException e) {
      throw InvalidRequest.field("allowSchemaDrift", "allowSchemaDrift '" + text + "' is not one of refuse, "
          + "matching-columns.", Map.of("allowed", List.of("refuse", "matching-columns")));
    }
  }

  private Duration approvalTimeout(String text) {
    if (text == null) {
      return settings.approvalTimeout();
    }
    Duration timeout = DurationText.parse(text).orElseThrow(() -> InvalidRequest.field("approvalTimeout",
        "approvalTimeout '" + text + "' is not " + DurationText.EXPECTED + ".",
        Map.of("expected", DurationText.EXPECTED)));
    if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(settings.maxApprovalTimeout()) > 0) {
      throw InvalidRequest.field("approvalTimeout", "approvalTimeout " + timeout + " must be more than zero and at "
          + "most " + settings.maxApprovalTimeout() + ".", Map.of("max", settings.maxApprovalTimeout().toString()));
    }
    return timeout;
  }
}
