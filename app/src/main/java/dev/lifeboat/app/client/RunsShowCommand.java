package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lifeboat runs show RUN}: {@code GET /v1/runs/{id}}, every field a person needs. */
@Command(name = "show", description = "Show one run: phase, progress, steps, endpoint, error and result.")
final class RunsShowCommand extends ApiCommand {
  @Parameters(paramLabel = "RUN", description = "the run id")
  String runId;

  @Override
  public Integer call() {
    JsonNode run = api().get(ApiPaths.run(runId));
    if (json()) {
      printJson(run);
      return ExitCode.OK;
    }
    RunStatus status = RunStatus.of(run);
    PrintWriter out = out();
    field(out, "run", status.runId());
    field(out, "kind", status.kind());
    field(out, "instance", text(run, "instance"));
    field(out, "phase", status.phase());
    if (!status.terminal()) {
      field(out, "progress", ProgressBar.render(status, 0));
    }
    field(out, "requester", text(run, "requester"));
    field(out, "reason", text(run, "reason"));
    field(out, "started", text(run, "startedAt"));
    field(out, "stopped", text(run, "stoppedAt"));
    field(out, "expires", status.expiresAt());
    field(out, "endpoint", status.endpointUri());
    if (status.errorType() != null || status.errorMessage() != null) {
      field(out, "error", status.errorType() + ": " + status.errorMessage());
    }
    List<List<String>> steps = new ArrayList<>();
    for (JsonNode step : run.path("steps")) {
      steps.add(List.of(
          "  " + step.path("name").asText(),
          step.path("status").asText(""),
          step.path("durationMs").isNumber() ? Units.duration(step.get("durationMs").asLong()) : "",
          step.path("detail").asText("")));
    }
    if (!steps.isEmpty()) {
      out.println("steps");
      TextTable.rows(out, steps);
    }
    if (run.path("result").isObject() && !run.get("result").isEmpty()) {
      field(out, "result", run.get("result").toString());
    }
    out.flush();
    return ExitCode.OK;
  }

  private static void field(PrintWriter out, String name, String value) {
    if (value != null && !value.isEmpty()) {
      out.printf("%-10s %s%n", name, value);
    }
  }

  private static String text(JsonNode run, String field) {
    JsonNode value = run.path(field);
    return value.isValueNode() && !value.isNull() ? value.asText() : null;
  }
}
