package dev.lifeboat.api;

import dev.lifeboat.api.auth.AuthSettings;
import dev.lifeboat.api.tables.TableCheck;
import dev.lifeboat.api.tables.TableRecoverySettings;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the API needs from the rest of the application, built once by the launcher.
 *
 * @param taskQueue where restore workflows are started; {@link PointInTimeRestoreWorkflow#TASK_QUEUE} when null
 * @param clock stamps {@code startedAt} of new runs; the system UTC clock when null
 * @param restoreLimits TTL bounds of restores; {@link RestoreLimits#DEFAULTS} when null
 * @param schedules the configured schedules, the ones {@code /v1/schedules} knows; none when null
 * @param tableRecovery table recovery settings; {@link TableRecoverySettings#DEFAULTS} when null
 * @param tableCheck looks tables up before a table recovery starts; refuses every table when null
 * @param drills DR drill suites, targets and analytics replicas; {@link DrillSettings#NONE} when null
 * @param auth who may call: tokens and the JWT issuer; {@link AuthSettings#NONE} (nobody) when null
 */
public record ApiContext(
    WorkflowClient workflowClient,
    String taskQueue,
    Platform platform,
    Catalog catalog,
    Clock clock,
    RestoreLimits restoreLimits,
    List<ScheduleSpec> schedules,
    TableRecoverySettings tableRecovery,
    TableCheck tableCheck,
    DrillSettings drills,
    AuthSettings auth,
    Supplier<List<PreflightCheck>> poolerChecks) {

  /** A context without a pooler Lifeboat drives (its preflight has no pooler checks). */
  public ApiContext(WorkflowClient workflowClient, String taskQueue, Platform platform, Catalog catalog, Clock clock,
      RestoreLimits restoreLimits, List<ScheduleSpec> schedules, TableRecoverySettings tableRecovery,
      TableCheck tableCheck, DrillSettings drills, AuthSettings auth) {
    this(workflowClient, taskQueue, platform, catalog, clock, restoreLimits, schedules, tableRecovery, tableCheck,
        drills, auth, List::of);
  }

  public ApiContext {
    Objects.requireNonNull(workflowClient, "workflowClient");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(catalog, "catalog");
    taskQueue = taskQueue == null ? PointInTimeRestoreWorkflow.TASK_QUEUE : taskQueue;
    clock = clock == null ? Clock.systemUTC() : clock;
    restoreLimits = restoreLimits == null ? RestoreLimits.DEFAULTS : restoreLimits;
    schedules = schedules == null ? List.of() : List.copyOf(schedules);
    tableRecovery = tableRecovery == null ? TableRecoverySettings.DEFAULTS : tableRecovery;
    tableCheck = tableCheck == null ? ApiContext::noTables : tableCheck;
    drills = drills == null ? DrillSettings.NONE : drills;
    auth = auth == null ? AuthSettings.NONE : auth;
    poolerChecks = poolerChecks == null ? List::of : poolerChecks;
  }

  private static void noTables(String instanceId, TableRef table) {
    throw new LifeboatException(ErrorType.TABLE_NOT_FOUND, "This server cannot look up tables on " + instanceId
        + "; table recovery is not configured.", Map.of("table", table.display()));
  }
}
