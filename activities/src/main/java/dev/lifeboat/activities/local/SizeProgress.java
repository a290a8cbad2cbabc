package dev.lifeboat.activities.local;

import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a command that fills a directory (pg_basebackup, cp) on its own thread and reports the
 * directory's size about once a second, so that a long copy heartbeats instead of going silent.
 */
final class SizeProgress {
  private static final Duration REPORT_EVERY = Duration.ofSeconds(1);

  private SizeProgress() {}

  /**
   * @param expectedBytes for the percentage, 0 when unknown
   * @return the bytes in {@code target} once the command succeeded
   * @throws IllegalStateException with the command's output when it fails
   */
  static long run(String threadName, Supplier<ProcessRunner.Result> command, Path target, long expectedBytes,
      String detail, ProgressListener progress) {
    CompletableFuture<ProcessRunner.Result> run = CompletableFuture.supplyAsync(command, task -> {
      Thread t = new Thread(task, threadName);
      t.setDaemon(true);
      t.start();
    });
    while (true) {
      try {
        ProcessRunner.check(run.get(REPORT_EVERY.toMillis(), TimeUnit.MILLISECONDS));
        long bytes = FileTrees.size(target);
        progress.progress(detail + ": done", 100, bytes);
        return bytes;
      } catch (TimeoutException e) {
        long bytes = FileTrees.size(target);
        Integer percent = expectedBytes > 0 ? (int) Math.min(99, bytes * 100 / expectedBytes) : null;
        progress.progress(detail, percent, bytes);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted: " + detail, e);
      }
    }
  }
}
