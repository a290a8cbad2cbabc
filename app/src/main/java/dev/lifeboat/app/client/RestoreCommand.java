package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lifeboat restore}: {@code POST /v1/restores}, then optionally the watch. */
@Command(name = "restore",
    description = "Restore an instance to a point in time into a new temporary instance. Prints the run id.")
final class RestoreCommand extends ApiCommand {
  @Option(names = "--instance", required = true, paramLabel = "ID", description = "e.g. techcorp-primary")
  String instance;

  @Option(names = "--time", required = true, paramLabel = "TIME",
      description = "target time, ISO-8601 with Z or an offset, e.g. 2026-11-24T10:31:00Z")
  String time;

  @Option(names = "--ttl", paramLabel = "DURATION",
      description = "how long to keep the instance: 2h, 90m, PT2H (default 4h, at most 24h)")
  String ttl;

  @Option(names = "--reason", required = true, paramLabel = "TEXT",
      description = "why: recorded with the run and in the audit log")
  String reason;

  @Option(names = "--schema", paramLabel = "NAME", description = "verify this schema only (default: all)")
  String schema;

  @Option(names = "--watch", description = "then follow the run until its instance is ready (or it fails)")
  boolean watch;

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = object();
    body.put("instance", instance);
    body.put("targetTime", time);
    putIfSet(body, "ttl", ttl);
    body.put("reason", reason);
    putIfSet(body, "schema", schema);
    return started(api().post(ApiPaths.RESTORES, body), watch, false);
  }
}
