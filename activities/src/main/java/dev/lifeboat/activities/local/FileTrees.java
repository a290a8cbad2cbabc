package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/** Small helpers for directory trees. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Creates a directory and any missing parents with the given mode (e.g. {@code 755}), whatever
   * the process umask: a 0700 parent would lock the server user out.
   */
  public static Path createDirectories(Path dir, String mode) {
    Path abs = dir.toAbsolutePath().normalize();
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    try {
      while (!missing.isEmpty()) {
        Path p = missing.pop();
        try {
          Files.createDirectory(p);
        } catch (FileAlreadyExistsException e) {
          continue; // created concurrently: keep whatever mode its creator chose
        }
        Files.setPosixFilePermissions(p, OsUser.permissions(mode));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + abs, e);
    }
    return abs;
  }

  /** Deletes a tree; a missing path is fine (deletion is retried after crashes). */
  public static void deleteRecursively(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
          if (exc instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw exc;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /**
   * Bytes of all regular files below root. Measures trees that are still being written (progress
   * of pg_basebackup, of a copy): a file renamed or removed while walking does not count, and
   * never fails the walk ({@code backup_manifest.tmp} becomes {@code backup_manifest} at any time).
   */
  public static long size(Path root) {
    if (!Files.exists(root)) {
      return 0;
    }
    AtomicLong total = new AtomicLong();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            total.addAndGet(attrs.size());
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (NoSuchFileException e) {
      // the root itself went away while walking
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + root, e);
    }
    return total.get();
  }

  /** fsync of a file or a directory (a directory's entries: a rename or a new file in it). */
  public static void sync(Path path) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + path + ": " + e.getMessage(), e);
    }
  }
}
