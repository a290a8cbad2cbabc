package dev.lifeboat.app.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every client command shares: the API, the output streams, JSON or text, watching a run. */
abstract class ApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  final LifeboatCommand root() {
    return (LifeboatCommand) spec.root().userObject();
  }

  final ApiClient api() {
    return root().api(spec.commandLine());
  }

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  final boolean json() {
    return root().json;
  }

  final ObjectNode object() {
    return root().mapper.createObjectNode();
  }

  final void printJson(JsonNode node) {
    try {
      out().println(root().mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      out().flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Follows a run until it ends or is ready; with {@code --json} prints only its last view. */
  final int watch(String runId, boolean untilWaiting) throws InterruptedException {
    CliContext context = root().context;
    RunWatcher watcher = new RunWatcher(id -> api().get(ApiPaths.run(id)), out(), err(), context.tty(),
        context.columns(), context.pollInterval(), context.sleeper());
    RunWatcher.Outcome outcome = watcher.watch(runId, untilWaiting, json());
    if (json()) {
      printJson(outcome.run());
    }
    return outcome.exitCode();
  }

  /**
   * After a POST that started a run: its id on stdout (so {@code RUN=$(lifeboat restore ...)}
   * works), then either the watch or, on stderr, how to follow it.
   */
  final int started(JsonNode run, boolean watch, boolean untilWaiting) throws InterruptedException {
    String runId = run.path("runId").asText();
    if (json() && !watch) {
      printJson(run);
      return ExitCode.OK;
    }
    if (!json()) {
      out().println(runId);
      out().flush();
    }
    if (watch) {
      return watch(runId, untilWaiting);
    }
    err().println("started " + run.path("kind").asText("run") + " " + runId + " (" + run.path("phase").asText()
        + "); follow it with: lifeboat runs watch " + runId);
    err().flush();
    return ExitCode.OK;
  }

  /** Puts {@code value} unless it is null: the API refuses unknown fields, not absent ones. */
  static void putIfSet(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}
