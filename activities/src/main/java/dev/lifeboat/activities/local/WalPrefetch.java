package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decompresses the archived segments a restore will ask for ahead of the server, on a thread of
 * its own, so that replay (one core) does not wait for {@code zstd -d} on every segment: the
 * restore command then only renames a prepared file into place ({@code restore-wal.sh}, fourth
 * argument). At most {@link #AHEAD} segments wait in the directory, so its size stays bounded. A
 * segment that is not prepared yet is decompressed by the restore command as before.
 *
 * <p>A prepared file is the archived file's exact content: decompressed in this JVM (zstd-jni,
 * which checks the frame's checksum) to a temporary name, synced, and renamed into place when
 * complete.
 */
final class WalPrefetch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalPrefetch.class);
  static final int AHEAD = 8;
  private static final Duration WAIT = Duration.ofMillis(20);

  private final ProcessRunner runner;
  private final Path archiveDir;
  private final Path dir;
  private final List<WalSegment> segments;
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * @param dir created here, owned by the server's user; removed by {@link #close()}
   * @param segments the archived segments from the snapshot's start on, in replay order
   */
  WalPrefetch(ProcessRunner runner, Path archiveDir, Path dir, List<WalSegment> segments) {
    this.runner = runner;
    this.archiveDir = archiveDir;
    this.dir = dir;
    this.segments = List.copyOf(segments);
    runner.osUser().createOwnedDirectory(dir, "700");
    this.thread = new Thread(this::run, "wal-prefetch-" + dir.getParent().getFileName());
    thread.setDaemon(true);
  }

  Path dir() {
    return dir;
  }

  WalPrefetch start() {
    thread.start();
    return this;
  }

  private void run() {
    int prepared = 0;
    byte[] buffer = new byte[1 << 20];
    try {
      for (WalSegment segment : segments) {
        while (!stopped && waiting() >= AHEAD) {
          Thread.sleep(WAIT.toMillis());
        }
        if (stopped) {
          return;
        }
        String name = segment.name();
        Path source = archiveDir.resolve(name + ".zst");
        Path tmp = dir.resolve("." + name + ".tmp");
        // in this JVM, as this process's user: a process per segment would cost replay CPU on a busy machine
        try (InputStream in = SnapshotFormat.openZstd(source); OutputStream out = Files.newOutputStream(tmp)) {
          long written = 0;
          for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            written += n;
          }
          if (written == 0) {
            // zstd -d refuses an empty file; an empty segment must not reach the server either
            throw new IOException(source + " holds no data");
          }
        } catch (IOException e) {
          // the restore command decompresses it itself (and reports what is wrong with it)
          if (!stopped) {
            log.warn("WAL prefetch stops at {}: {}", name, e.toString());
          }
          Files.deleteIfExists(tmp);
          return;
        }
        runner.osUser().own(tmp);
        // on disk before the server takes it: the server fsyncs every segment it restores (a
        // durable rename), which costs replay the write-back of 16 MB each time when done there
        FileTrees.sync(tmp);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        prepared++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      if (stopped) {
        log.debug("WAL prefetch into {} stopped with the restore: {}", dir, e.toString());
      } else {
        log.warn("WAL prefetch into {} stopped: {}", dir, e.toString());
      }
    } finally {
      log.debug("WAL prefetch prepared {} segments", prepared);
    }
  }

  /** Prepared segments the server has not taken yet. */
  private long waiting() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Stops preparing and removes what was not taken. */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    FileTrees.deleteRecursively(dir);
  }
}
