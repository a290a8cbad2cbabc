package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The archive and restore commands, as shell scripts under {@code <dataRoot>/bin}. The server
 * runs them once per segment: a shell and zstd cost milliseconds, a JVM would cost a second.
 */
final class WalScripts {
  static final String ZSTD = "/usr/bin/zstd";

  private static final String ARCHIVE = """
      #!/bin/sh
      # archive_command of Lifeboat's local platform: archive-wal.sh SOURCE ARCHIVE_DIR FILE
      # Atomic (temp file, fsync, rename) and safe to retry: the server may run it again for a
      # segment whose earlier run succeeded before a crash. The same content already archived is
      # success; different content fails, so an archived segment is never overwritten.
      set -eu
      src="$1"; dir="$2"; name="$3"
      dest="$dir/$name.zst"
      if [ -f "$dest" ]; then
        if %1$s -q -d -c "$dest" | cmp -s - "$src"; then
          exit 0
        fi
        echo "archive-wal: $dest already exists with different content" >&2
        exit 1
      fi
      tmp="$dir/.$name.$$.tmp"
      trap 'rm -f "$tmp"' EXIT
      %1$s -q -1 -f -o "$tmp" "$src"
      sync "$tmp"
      mv "$tmp" "$dest"
      sync "$dir"
      trap - EXIT
      """.formatted(ZSTD);

  private static final String RESTORE = """
      #!/bin/sh
      # restore_command of Lifeboat's local platform: restore-wal.sh ARCHIVE_DIR FILE TARGET [PREFETCH_DIR]
      # Exit 1 for a file that is not archived is normal: recovery probes for files (the next
      # timeline's history, the segment after the last one) and ends when one is missing.
      # PREFETCH_DIR holds segments a restore decompressed ahead (complete files only): renamed into place.
      set -eu
      if [ -n "${4:-}" ] && [ -f "$4/$2" ]; then
        exec mv -f "$4/$2" "$3"
      fi
      src="$1/$2.zst"
      [ -f "$src" ] || exit 1
      exec %1$s -q -d -f -o "$3" "$src"
      """.formatted(ZSTD);

  private final Path binDir;

  WalScripts(Path dataRoot) {
    this.binDir = dataRoot.resolve("bin");
  }

  /** Writes the scripts when missing or outdated; world-readable so the server user can run them. */
  void install() {
    if (!Files.isExecutable(Path.of(ZSTD))) {
      throw new IllegalStateException(ZSTD + " not found: the local platform compresses archived WAL with zstd"
          + " (apt-get install zstd)");
    }
    try {
      // zstd-jni (snapshots, lay-down, WAL prefetch) unpacks its native library into java.io.tmpdir
      com.github.luben.zstd.util.Native.load();
    } catch (LinkageError e) {
      throw new IllegalStateException("zstd-jni cannot load its native library (" + e.getMessage() + "): the"
          + " directory java.io.tmpdir names (" + System.getProperty("java.io.tmpdir") + ") must allow executables;"
          + " point it elsewhere with LIFEBOAT_JAVA_OPTS=\"... -Djava.io.tmpdir=/path\"", e);
    }
    write(archiveScript(), ARCHIVE);
    write(restoreScript(), RESTORE);
  }

  Path archiveScript() {
    return binDir.resolve("archive-wal.sh");
  }

  Path restoreScript() {
    return binDir.resolve("restore-wal.sh");
  }

  /** archive_command archiving into {@code archiveDir}. */
  String archiveCommand(Path archiveDir) {
    return quote(archiveScript()) + " \"%p\" " + quote(archiveDir) + " \"%f\"";
  }

  /** restore_command reading from {@code archiveDir}. */
  String restoreCommand(Path archiveDir) {
    return quote(restoreScript()) + " " + quote(archiveDir) + " \"%f\" \"%p\"";
  }

  /** restore_command reading from {@code archiveDir}, taking segments {@link WalPrefetch} prepared first. */
  String restoreCommand(Path archiveDir, Path prefetchDir) {
    return restoreCommand(archiveDir) + " " + quote(prefetchDir);
  }

  private static String quote(Path path) {
    String s = path.toAbsolutePath().toString();
    if (s.contains("\"") || s.contains("'") || s.contains("%") || s.contains("$") || s.contains("`")
        || s.contains("\\")) {
      throw new IllegalArgumentException("data root path must not contain quotes, %, $, ` or \\: " + s);
    }
    return "\"" + s + "\"";
  }

  private void write(Path script, String content) {
    try {
      if (Files.exists(script) && Files.readString(script, StandardCharsets.UTF_8).equals(content)) {
        return;
      }
      FileTrees.createDirectories(binDir, "755");
      Path tmp = script.resolveSibling("." + script.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tmp, OsUser.permissions("755"));
      Files.move(tmp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + script, e);
    }
  }
}
