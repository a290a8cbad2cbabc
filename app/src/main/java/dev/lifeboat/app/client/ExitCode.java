package dev.lifeboat.app.client;

/**
 * The CLI's exit codes, the contract scripts branch on: {@code lifeboat restore ... && lifeboat
 * runs watch RUN} goes on only when the instance is ready.
 */
public final class ExitCode {
  /** The command did what was asked; for a watch: the run succeeded, or reached the state waited for. */
  public static final int OK = 0;
  /** The run failed or was cancelled, or the API refused the request (a 4xx answer). */
  public static final int FAILED = 1;
  /** The command line is wrong: an unknown command or option, a missing required one. */
  public static final int USAGE = 2;
  /** The API could not be reached, timed out or answered 5xx: retrying later may help. */
  public static final int UNAVAILABLE = 3;

  private ExitCode() {}
}
