package dev.lifeboat.activities.tables;

/**
 * An import gave up waiting for a lock an application holds ({@code lock_timeout}): nothing was
 * written, and trying again later is the right thing to do, unlike the typed, final failures.
 */
public final class TableLockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TableLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
