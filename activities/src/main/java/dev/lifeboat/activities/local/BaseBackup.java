package dev.lifeboat.activities.local;

import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code pg_basebackup} and reports the bytes written so far about once a second. Always
 * {@code -c fast}: without it the server waits for a spread checkpoint (DESIGN.md, pitfall 5).
 */
final class BaseBackup {
  private static final Duration TIMEOUT = Duration.ofHours(6);

  private final PgBinaries binaries;
  private final ProcessRunner runner;

  BaseBackup(PgBinaries binaries, ProcessRunner runner) {
    this.binaries = binaries;
    this.runner = runner;
  }

  /**
   * @param target must not exist yet; its parent must be writable by the PostgreSQL user
   * @param expectedBytes rough size for the percentage, 0 when unknown
   */
  void take(int port, Path target, List<String> extraArgs, long expectedBytes, ProgressListener progress) {
    List<String> cmd = new ArrayList<>(List.of(binaries.tool("pg_basebackup"), "-h", "127.0.0.1",
        "-p", Integer.toString(port), "-U", Jdbc.USER, "-D", target.toString(), "-c", "fast", "-X", "stream"));
    cmd.addAll(extraArgs);
    SizeProgress.run("pg_basebackup-" + port, () -> runner.runAsPg(cmd, TIMEOUT), target, expectedBytes,
        "copying data files", progress);
  }

  /**
   * A snapshot's backup (see {@link SnapshotFormat}): tar with server-side zstd. The server
   * compresses while it reads, so less crosses the connection and less is written here; on 2 cores
   * this took less time than the uncompressed tar or plain format.
   */
  void takeCompressed(int port, Path target, ProgressListener progress) {
    // the size on disk is compressed: no percentage against the database size
    take(port, target, SnapshotFormat.backupArgs(), 0, progress);
    SnapshotFormat.finishBackup(runner, target);
    progress.progress("compressing the streamed WAL: done", 100, FileTrees.size(target));
  }
}
