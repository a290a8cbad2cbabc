package dev.lifeboat.common.platform;

/** Receives progress of a long platform operation; activities turn it into heartbeats and run progress. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (detail, percent, bytes) -> {};

  /**
   * @param detail what is happening now, for people
   * @param percent 0..100 of this operation, or null when unknown
   * @param bytes bytes processed so far, or null when not meaningful
   */
  void progress(String detail, Integer percent, Long bytes);
}
