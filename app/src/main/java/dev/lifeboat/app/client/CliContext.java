package dev.lifeboat.app.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the CLI takes from its surroundings, passed in so tests control all of it.
 *
 * @param env the environment variables ({@code LIFEBOAT_API}, {@code LIFEBOAT_TOKEN},
 *     {@code LIFEBOAT_CONFIG}, {@code LIFEBOAT_HOME}, {@code COLUMNS})
 * @param home where {@code .config/lifeboat/cli.properties} is looked for
 * @param tty whether standard output is a terminal: a progress bar redrawn in place, else a line per change
 * @param pollInterval how often {@code runs watch} asks for the run
 * @param sleeper waits between polls
 */
public record CliContext(
    Map<String, String> env, Path home, boolean tty, Duration pollInterval, Sleeper sleeper) {

  public static final Duration POLL_INTERVAL = Duration.ofMillis(500);
  private static final int DEFAULT_COLUMNS = 80;

  /** Waits between two polls of a run. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public CliContext {
    env = Map.copyOf(env);
  }

  /** The real process: its environment, its home, and whether a person is watching. */
  public static CliContext system() {
    return new CliContext(System.getenv(), Path.of(System.getProperty("user.home")),
        System.console() != null, POLL_INTERVAL, duration -> Thread.sleep(duration.toMillis()));
  }

  /** The width a redrawn line must stay within so that it does not wrap (which breaks {@code \r}). */
  int columns() {
    try {
      int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
      return columns >= 20 ? columns : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
  }
}
