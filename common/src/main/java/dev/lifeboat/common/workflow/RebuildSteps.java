package dev.lifeboat.common.workflow;

/** Steps of a rebuild, in order, and the run's percent when each one starts. */
public final class RebuildSteps {
  public static final String VALIDATE = "validate";
  public static final String PRESERVE = "preserve";
  public static final String REBUILD = "rewind-or-base-backup";
  public static final String STREAMING = "streaming-check";

  public static final int PRESERVE_PERCENT = 10;
  public static final int REBUILD_PERCENT = 30;
  public static final int STREAMING_PERCENT = 90;

  private RebuildSteps() {}
}
