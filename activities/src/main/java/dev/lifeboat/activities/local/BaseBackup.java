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
}
