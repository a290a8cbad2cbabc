package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Follows one run until it reaches what the user waits for, showing its progress, and says how
 * it ended as an {@link ExitCode}: {@code OK} when it succeeded, when a restore is held with its
 * endpoint ready, or (with {@code untilWaiting}) when it waits for an approver; {@code FAILED}
 * when it failed or was cancelled.
 *
 * <p>A watch may last hours: a short outage of the API (a restart, a blip) is ridden out, and only
 * after {@link #MAX_OUTAGE} of failed polls does the watch give up (and the CLI exits with
 * {@code UNAVAILABLE}). The first poll is not retried: a wrong address should fail at once.
 */
final class RunWatcher {
  static final Duration MAX_OUTAGE = Duration.ofSeconds(60);

  private final Function<String, JsonNode> fetch;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean tty;
  private final int columns;
  private final Duration interval;
  private final CliContext.Sleeper sleeper;

  private String shownKey;
  private String shownStep;
  private String shownLine;
  private int shownLength;
  private boolean barOpen;
  private boolean waitingShown;

  /**
   * @param fetch the run view of a run id, as {@code GET /v1/runs/{id}} answers it
   * @param tty redraw one line in place; otherwise print a line whenever the progress changes
   */
  RunWatcher(Function<String, JsonNode> fetch, PrintWriter out, PrintWriter err, boolean tty, int columns,
      Duration interval, CliContext.Sleeper sleeper) {
    this.fetch = fetch;
    this.out = out;
    this.err = err;
    this.tty = tty;
    this.columns = columns;
    this.interval = interval;
    this.sleeper = sleeper;
  }

  /** The outcome of a watch: its exit code and the last run view seen. */
  record Outcome(int exitCode, JsonNode run) {}

  /**
   * @param quiet print nothing but errors (for {@code --json}, which prints the last view itself)
   */
  Outcome watch(String runId, boolean untilWaiting, boolean quiet) throws InterruptedException {
    JsonNode view = fetch.apply(runId);
    int failedPolls = 0;
    long outageStarted = 0;
    // Polls that fail fast (refused) are counted; polls that hang until their timeout are timed.
    long maxFailedPolls = Math.max(1, MAX_OUTAGE.toMillis() / Math.max(1, interval.toMillis()));
    while (true) {
      RunStatus run = RunStatus.of(view);
      if (!quiet) {
        show(run);
      }
      Integer end = end(run, untilWaiting, quiet);
      if (end != null) {
        return new Outcome(end, view);
      }
      sleeper.sleep(interval);
      try {
        view = fetch.apply(runId);
        if (failedPolls > 0) {
          note("the API answers again");
        }
        failedPolls = 0;
      } catch (ApiUnreachable | ApiError e) {
        if (e instanceof ApiError error && error.status() < 500) {
          throw e;
        }
        if (++failedPolls == 1) {
          outageStarted = System.nanoTime();
        }
        if (failedPolls > maxFailedPolls || System.nanoTime() - outageStarted > MAX_OUTAGE.toNanos()) {
          throw e;
        }
        if (failedPolls == 1) {
          note("lost the API (" + message(e) + "); retrying for up to " + MAX_OUTAGE.toSeconds() + " s");
        }
      }
    }
  }

  /** Where a drill's report is, on the API (its HTML page). */
  private void report(RunStatus run) {
    if (run.reportHtml() != null) {
      out.println("report: " + run.reportHtml() + " on the API");
    }
  }

  /** The exit code when the watch ends here, or null to keep watching. */
  private Integer end(RunStatus run, boolean untilWaiting, boolean quiet) {
    if (RunStatus.SUCCEEDED.equals(run.phase())) {
      finishLine();
      if (!quiet) {
        out.println(run.runId() + " succeeded");
        report(run);
      }
      return ExitCode.OK;
    }
    if (RunStatus.FAILED.equals(run.phase()) || RunStatus.CANCELLED.equals(run.phase())) {
      finishLine();
      if (!quiet) {
        out.println(run.runId() + " " + run.phase() + (run.step() == null ? "" : " at step " + run.step()));
        report(run);
      }
      String type = run.errorType() == null ? run.phase().toUpperCase(Locale.ROOT) : run.errorType();
      err.println("error: " + type + ": "
          + (run.errorMessage() == null ? "run " + run.runId() + " " + run.phase() : run.errorMessage()));
      err.flush();
      return ExitCode.FAILED;
    }
    if (run.heldRestore()) {
      finishLine();
      if (!quiet) {
        out.println(run.runId() + " is ready: " + run.endpointUri());
        out.println("held until " + (run.expiresAt() == null ? "released" : run.expiresAt() + " or released")
            + "; release it with: lifeboat release " + run.runId());
      }
      return ExitCode.OK;
    }
    if (run.waitingApproval() && (untilWaiting || !waitingShown)) {
      waitingShown = true;
      finishLine();
      if (!quiet) {
        out.println(run.runId() + " waits for approval: " + (run.detail() == null ? "" : run.detail()));
        out.println("approve: lifeboat approve " + run.runId() + "   reject: lifeboat reject " + run.runId());
      }
      if (untilWaiting) {
        return ExitCode.OK;
      }
    }
    out.flush();
    return null;
  }

  private void show(RunStatus run) {
    String key = run.phase() + "|" + run.step() + "|" + run.percent() + "|" + run.detail();
    if (!tty) {
      if (!key.equals(shownKey)) {
        out.println(ProgressBar.render(run, 0));
      }
      shownKey = key;
      return;
    }
    String line = ProgressBar.render(run, columns);
    if (barOpen && line.equals(shownLine)) {
      return;
    }
    if (barOpen && !Objects.equals(run.step(), shownStep)) {
      // Keep the finished step's last bar as history, draw the new step below it.
      out.print('\n');
      shownLength = 0;
    }
    out.print('\r' + line + " ".repeat(Math.max(0, shownLength - line.length())));
    out.flush();
    barOpen = true;
    shownStep = run.step();
    shownLength = line.length();
    shownLine = line;
    shownKey = key;
  }

  private void finishLine() {
    if (barOpen) {
      out.print('\n');
      barOpen = false;
      shownLength = 0;
      shownStep = null;
      shownLine = null;
    }
  }

  private void note(String text) {
    finishLine();
    err.println("note: " + text);
    err.flush();
  }

  private static String message(RuntimeException e) {
    return e instanceof ApiError error ? error.error() + ": " + error.getMessage() : e.getMessage();
  }
}
