package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Tops up one region's copy of an instance's WAL archive from another's: copies the archive files
 * from a segment on that the target lacks (segments, their backup labels and commit caches, and
 * every timeline history file). Archived files never change, so a file already in the target with
 * the source's size is complete (each one is written to a temporary name and renamed) and is
 * skipped: a later copy moves only the new segments.
 */
final class WalCopier {
  private final OsUser osUser;

  WalCopier(OsUser osUser) {
    this.osUser = osUser;
  }

  /** What a top-up will copy. */
  record Plan(WalArchive source, WalArchive target, List<String> files, long bytes) {}

  Plan plan(WalArchive source, WalArchive target, long fromSegno) {
    List<String> files = new ArrayList<>();
    long bytes = 0;
    for (String name : source.fileNames()) {
      OptionalLong segno = WalArchive.segnoOf(name);
      boolean wanted = segno.isPresent() ? segno.getAsLong() >= fromSegno : name.endsWith(".history.zst");
      if (!wanted) {
        continue;
      }
      long size = size(source.dir().resolve(name));
      Path existing = target.dir().resolve(name);
      if (Files.exists(existing) && size(existing) == size) {
        continue;
      }
      files.add(name);
      bytes += size;
    }
    return new Plan(source, target, List.copyOf(files), bytes);
  }

  /**
   * Copies the planned files, each verified by comparing the SHA-256 of what was read with that
   * of what landed on disk before it is renamed into place.
   *
   * @param copied receives the bytes copied so far after each file
   */
  void copy(Plan plan, LongConsumer copied) {
    Path targetDir = plan.target().dir();
    osUser.createOwnedDirectory(targetDir, "755");
    long done = 0;
    for (String name : plan.files()) {
      done += copyFile(plan.source().dir().resolve(name), targetDir.resolve(name));
      copied.accept(done);
    }
  }

  private long copyFile(Path source, Path target) {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".copy");
    try {
      String sent;
      long bytes;
      try (DigestInputStream in = new DigestInputStream(Files.newInputStream(source), Sha256.newDigest());
          OutputStream out = Files.newOutputStream(tmp)) {
        bytes = in.transferTo(out);
        sent = Sha256.hex(in.getMessageDigest());
      }
      FileTrees.sync(tmp);
      String landed = Sha256.of(tmp);
      if (!sent.equals(landed)) {
        throw new IllegalStateException("copy of " + source + " does not match it (sha256 " + landed + ", expected "
            + sent + ")");
      }
      osUser.own(tmp);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a leftover temporary file is overwritten by the next copy
      }
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
  }
}
