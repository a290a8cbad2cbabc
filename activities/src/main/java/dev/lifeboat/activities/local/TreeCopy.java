package dev.lifeboat.activities.local;

import dev.lifeboat.common.platform.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Copies a data directory with {@code cp -a}: it keeps owner and modes (the server refuses a data
 * directory that is not 0700/0750 or not its own) and is about three times faster than a
 * file-by-file copy from Java.
 */
public final class TreeCopy {
  private static final Duration TIMEOUT = Duration.ofHours(6);

  private TreeCopy() {}

  /**
   * @param target must not exist yet; its parent must
   * @param expectedBytes for the percentage, 0 when unknown
   * @return bytes copied
   */
  public static long copy(ProcessRunner runner, Path source, Path target, long expectedBytes,
      ProgressListener progress) {
    if (Files.exists(target)) {
      throw new IllegalStateException("copy target " + target + " exists already");
    }
    return SizeProgress.run("copy-" + target.getFileName(),
        () -> runner.run(List.of("/bin/cp", "-a", "--reflink=auto", source.toString(), target.toString()), TIMEOUT),
        target, expectedBytes, "copying files", progress);
  }
}
