package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external commands with a timeout and captures their output. Output goes to a temporary
 * file, not a pipe: {@code pg_ctl start} leaves a postmaster behind that could inherit a pipe and
 * keep a reader waiting forever.
 */
public final class ProcessRunner {
  private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);

  private final OsUser osUser;

  public ProcessRunner(OsUser osUser) {
    this.osUser = osUser;
  }

  public OsUser osUser() {
    return osUser;
  }

  /** The outcome of one command; {@code output} is stdout and stderr interleaved. */
  public record Result(List<String> command, int exitCode, String output, boolean timedOut) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** The last lines of output, for error messages. */
    public String tail(int lines) {
      String[] all = output.strip().split("\n");
      int from = Math.max(0, all.length - lines);
      return String.join("\n", Arrays.asList(all).subList(from, all.length));
    }
  }

  /** Runs a command as this JVM's user. */
  public Result run(List<String> command, Duration timeout) {
    return execute(command, timeout, null);
  }

  /**
   * Runs a command as this JVM's user with {@code environment} added to its process environment,
   * never to its command line (which {@code ps} shows to every user): for secrets such as
   * {@code PGPASSWORD}. The command logged and returned carries no value of it.
   */
  public Result runWithSecretEnvironment(List<String> command, Map<String, String> environment, Duration timeout) {
    return execute(command, timeout, null, environment);
  }

  /** Runs a command as this JVM's user with extra environment, output written to {@code outputFile}. */
  public Result runTo(List<String> command, Map<String, String> env, Duration timeout, Path outputFile) {
    return execute(withEnv(List.of(), command, env), timeout, outputFile);
  }

  /** Runs a command as the PostgreSQL OS user, with extra environment variables. */
  public Result runAsPg(List<String> command, Map<String, String> env, Duration timeout) {
    return execute(asPg(command, env), timeout, null);
  }

  public Result runAsPg(List<String> command, Duration timeout) {
    return runAsPg(command, Map.of(), timeout);
  }

  /** Like {@link #runAsPg} but fails with the command's last output lines when it does not succeed. */
  public Result checkAsPg(List<String> command, Duration timeout) {
    return check(runAsPg(command, timeout));
  }

  /**
   * Runs as the PostgreSQL user with output written to {@code outputFile} (for large output such
   * as {@code pg_waldump}); the returned result carries no output.
   */
  public Result runAsPgTo(List<String> command, Map<String, String> env, Duration timeout, Path outputFile) {
    return execute(asPg(command, env), timeout, outputFile);
  }

  public static Result check(Result result) {
    if (!result.ok()) {
      throw new IllegalStateException(describe(result));
    }
    return result;
  }

  static String describe(Result result) {
    String what = result.timedOut() ? "timed out" : "failed with exit code " + result.exitCode();
    return commandName(result.command()) + " " + what + ": " + result.tail(8);
  }

  private List<String> asPg(List<String> command, Map<String, String> env) {
    return withEnv(osUser.commandPrefix(), command, env);
  }

  private static List<String> withEnv(List<String> prefix, List<String> command, Map<String, String> env) {
    List<String> full = new ArrayList<>(prefix);
    if (!env.isEmpty()) {
      // runuser resets parts of the environment; /usr/bin/env sets ours after the switch.
      full.add("/usr/bin/env");
      env.forEach((k, v) -> full.add(k + "=" + v));
    }
    full.addAll(command);
    return full;
  }

  private Result execute(List<String> command, Duration timeout, Path outputFile) {
    return execute(command, timeout, outputFile, Map.of());
  }

  private Result execute(List<String> command, Duration timeout, Path outputFile, Map<String, String> environment) {
    Path capture = outputFile;
    boolean tempCapture = outputFile == null;
    Process process = null;
    try {
      if (tempCapture) {
        capture = Files.createTempFile("lifeboat-cmd-", ".out");
      }
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(Path.of("/").toFile())
          .redirectErrorStream(true)
          .redirectOutput(capture.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      // Inherited PG* variables (PGDATA, PGPORT, PGHOST...) would silently retarget our commands.
      pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
      pb.environment().putAll(environment);
      log.debug("Running {}", command);
      process = pb.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      String output = tempCapture ? Files.readString(capture, StandardCharsets.UTF_8) : "";
      int exit = finished ? process.exitValue() : -1;
      return new Result(List.copyOf(command), exit, output, !finished);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + commandName(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // an interrupted caller gave up on the command: it must not go on working behind its back
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + commandName(command), e);
    } finally {
      if (tempCapture && capture != null) {
        try {
          Files.deleteIfExists(capture);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** The program being run, without runuser/env wrapping or arguments that may carry secrets. */
  static String commandName(List<String> command) {
    int i = 0;
    if (!command.isEmpty() && command.get(0).endsWith("runuser")) {
      i = command.indexOf("--") + 1;
    }
    if (i < command.size() && command.get(i).equals("/usr/bin/env")) {
      i++;
      while (i < command.size() && command.get(i).contains("=")) {
        i++;
      }
    }
    return i < command.size() ? Path.of(command.get(i)).getFileName().toString() : String.join(" ", command);
  }
}
