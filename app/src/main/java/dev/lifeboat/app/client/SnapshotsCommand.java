package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lifeboat snapshots}: {@code GET /v1/snapshots}, newest first, with their DR copies. */
@Command(name = "snapshots", description = "List snapshots, newest first, with their copies in DR regions.")
final class SnapshotsCommand extends ApiCommand {
  @Option(names = "--instance", paramLabel = "ID")
  String instance;

  @Option(names = "--region", paramLabel = "REGION", description = "a DR region's own snapshots (default: home)")
  String region;

  @Override
  public Integer call() {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("instance", instance);
    query.put("region", region);
    JsonNode list = api().get(ApiClient.withQuery(ApiPaths.SNAPSHOTS, query));
    if (json()) {
      printJson(list);
      return ExitCode.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode snapshot : list.path("items")) {
      StringJoiner copies = new StringJoiner(" ");
      for (JsonNode copy : snapshot.path("copies")) {
        copies.add(copy.path("region").asText() + ":" + copy.path("status").asText());
      }
      rows.add(List.of(
          snapshot.path("id").asText(),
          snapshot.path("instance").asText(""),
          snapshot.path("region").asText(""),
          snapshot.path("status").asText(""),
          snapshot.path("ageSeconds").isNumber() ? Units.duration(snapshot.get("ageSeconds").asLong() * 1000) : "",
          Units.bytes(snapshot.path("bytes").asLong()),
          copies.toString()));
    }
    if (rows.isEmpty()) {
      out().println("no snapshots");
    } else {
      TextTable.print(out(), List.of("SNAPSHOT", "INSTANCE", "REGION", "STATUS", "AGE", "SIZE", "COPIES"), rows);
    }
    out().flush();
    return ExitCode.OK;
  }
}
