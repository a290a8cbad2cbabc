package dev.lifeboat.app.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/** One CLI invocation in this JVM with a chosen environment, its output captured. */
record CliRun(int exitCode, String out, String err) {
  /** Not a terminal, no waiting between polls, nothing from the real environment. */
  static CliRun of(Map<String, String> env, Path home, String... args) {
    return of(env, home, false, args);
  }

  static CliRun of(Map<String, String> env, Path home, boolean tty, String... args) {
    return in(new CliContext(env, home, tty, Duration.ofSeconds(30), duration -> { }), args);
  }

  static CliRun in(CliContext context, String... args) {
    CommandLine cli = LifeboatCli.commandLine(context);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new CliRun(exitCode, out.toString(), err.toString());
  }
}
