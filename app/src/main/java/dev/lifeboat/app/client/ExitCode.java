package dev.lifeboat.app.client;

/**
 * The CLI's exit codes, the contract scripts branch on: {@code lifeboat restore ... && lifeboat
 * runs watch RUN} goes on only when the instance is ready.
 */
public final class ExitCode {
  /** The command did what was asked; for a watch: the run succeeded, or reached the state waited for. */
  public static final int OK = 0;
  /** The run failed or was cancelled, or the API refused the request (a 4xx answer other than 401 and 403). */
  public static final int FAILED = 1;
  /** The command line or the CLI's settings are wrong: an unknown or missing option, no token, a bad API URL. */
  public static final int USAGE = 2;
  /** The API could not be reached, timed out or answered 5xx: retrying later may help. */
  public static final int UNAVAILABLE = 3;
  /**
   * The API refused the caller: no valid token (401) or not allowed (403: a role missing, another's
   * run, one's own approval). Retrying will not help; another token or another person will.
   */
  public static final int DENIED = 4;

  private ExitCode() {}
}
