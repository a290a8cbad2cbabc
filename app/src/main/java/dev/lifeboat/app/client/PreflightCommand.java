package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code lifeboat preflight}: {@code POST /v1/preflight}, every check with what was found; exits 1
 * when one failed, so a cron job or a deploy pipeline can stop on it.
 */
@Command(name = "preflight", description = "Check what runs will need from the platform (credentials, instances, "
    + "keys, quotas), changing nothing; exit 1 when a check fails.")
final class PreflightCommand extends ApiCommand {
  @Override
  public Integer call() {
    JsonNode result = api().post(ApiPaths.PREFLIGHT, null);
    boolean ok = result.path("ok").asBoolean(false);
    if (json()) {
      printJson(result);
      return ok ? ExitCode.OK : ExitCode.FAILED;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode check : result.path("checks")) {
      rows.add(List.of(
          check.path("status").asText("").toUpperCase(),
          check.path("check").asText(""),
          check.path("instance").asText(""),
          check.path("region").asText(""),
          check.path("message").asText("")));
    }
    TextTable.print(out(), List.of("STATUS", "CHECK", "INSTANCE", "REGION", "FOUND"), rows);
    out().println((ok ? "preflight passed" : "preflight FAILED") + " on " + result.path("platform").asText("?")
        + ": " + result.path("failed").asLong() + " failed, " + result.path("warnings").asLong() + " warnings");
    out().flush();
    return ok ? ExitCode.OK : ExitCode.FAILED;
  }
}
