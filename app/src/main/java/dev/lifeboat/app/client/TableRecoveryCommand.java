package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lifeboat table-recovery}: {@code POST /v1/table-recoveries}, then optionally the watch. */
@Command(name = "table-recovery",
    description = "Bring back rows of tables as of a point in time: restore, export, compare, wait for an "
        + "approver, import. Prints the run id.")
final class TableRecoveryCommand extends ApiCommand {
  @Option(names = "--instance", required = true, paramLabel = "ID", description = "the primary, e.g. techcorp-primary")
  String instance;

  @Option(names = "--time", required = true, paramLabel = "TIME",
      description = "target time, ISO-8601 with Z or an offset, e.g. 2026-11-24T14:01:00Z")
  String time;

  @Option(names = "--table", required = true, paramLabel = "SCHEMA.TABLE",
      description = "a table to recover, e.g. payments.refunds; repeat for more")
  List<String> tables;

  @Option(names = "--mode", paramLabel = "MODE",
      description = "new-table (default: rows land in a new table), insert-missing or replace")
  String mode;

  @Option(names = "--no-approval", description = "import without waiting for a second person")
  boolean noApproval;

  @Option(names = "--reason", required = true, paramLabel = "TEXT",
      description = "why: recorded with the run and in the audit log")
  String reason;

  @Option(names = "--watch", description = "then follow the run")
  boolean watch;

  @Option(names = "--until-waiting", description = "with --watch: stop (exit 0) once the run waits for approval")
  boolean untilWaiting;

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = object();
    body.put("instance", instance);
    body.put("targetTime", time);
    ArrayNode names = body.putArray("tables");
    tables.forEach(names::add);
    putIfSet(body, "mode", mode);
    body.put("requireApproval", !noApproval);
    body.put("reason", reason);
    return started(api().post(ApiPaths.TABLE_RECOVERIES, body), watch, untilWaiting);
  }
}
