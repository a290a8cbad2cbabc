package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lifeboat runs list}: {@code GET /v1/runs}, newest first, one line per run. */
@Command(name = "list", description = "List runs, newest first.")
final class RunsListCommand extends ApiCommand {
  @Option(names = "--kind", paramLabel = "KIND",
      description = "restore, table-recovery, snapshot, copy, retention, drill, failover, rebuild or reaper")
  String kind;

  @Option(names = "--phase", paramLabel = "PHASE",
      description = "pending, running, waiting-approval, succeeded, failed or cancelled")
  String phase;

  @Option(names = "--instance", paramLabel = "ID")
  String instance;

  @Option(names = "--limit", paramLabel = "N", description = "at most this many (1..200, default 50)")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "the next page, as the previous one named it")
  String cursor;

  @Override
  public Integer call() {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("kind", kind);
    query.put("phase", phase);
    query.put("instance", instance);
    query.put("limit", limit);
    query.put("cursor", cursor);
    JsonNode page = api().get(ApiClient.withQuery(ApiPaths.RUNS, query));
    if (json()) {
      printJson(page);
      return ExitCode.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode run : page.path("items")) {
      RunStatus status = RunStatus.of(run);
      rows.add(List.of(
          run.path("runId").asText(),
          run.path("kind").asText(),
          run.path("phase").asText(),
          status.step() == null ? "" : status.step(),
          status.percent() == null ? "" : status.percent() + "%",
          run.path("instance").asText(""),
          run.path("startedAt").asText("")));
    }
    if (rows.isEmpty()) {
      out().println("no runs");
    } else {
      TextTable.print(out(), List.of("RUN", "KIND", "PHASE", "STEP", "PROGRESS", "INSTANCE", "STARTED"), rows);
    }
    if (page.path("nextCursor").isTextual()) {
      err().println("more: lifeboat runs list --cursor " + page.get("nextCursor").asText());
      err().flush();
    }
    out().flush();
    return ExitCode.OK;
  }
}
