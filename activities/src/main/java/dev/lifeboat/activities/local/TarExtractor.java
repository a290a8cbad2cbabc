package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the tar streams {@code pg_basebackup -Ft} writes (ustar: regular files, directories,
 * symbolic links) into a directory, as the server's user, from a decompressed stream. With
 * write-back on, files of
 * {@link #SYNC_MIN} bytes or more are synced by a thread of their own as they complete (a big file
 * also every {@link #SYNC_EVERY} bytes), so the disk writes them back while later files are
 * extracted, and {@link #finish()}
 * waits for the last and reports the first failure (SnapshotFormat then syncs the file system
 * once for the small files): a write-back error is reported once (to the first fsync or syncfs that
 * asks), so it must fail the lay-down, not be left to the server.
 * The server then syncs the directory before replay and finds little left to write (with
 * {@code recovery_init_sync_method=syncfs}, see RecoveryConfig, one flush in all). Measured at
 * 775 MB: that sync went from 0.8 s to about 0.1 s. Syncing each file on the extracting thread made
 * the lay-down longer instead.
 */
final class TarExtractor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TarExtractor.class);
  private static final int BLOCK = 512;
  private static final int BUFFER = 1 << 20;
  static final long SYNC_EVERY = 16L << 20;
  /**
   * Smaller files are left to the server's start-up sync: a data directory holds about a thousand,
   * a few MB in all, and an fsync each cost a disk flush each (a second in all here).
   */
  static final long SYNC_MIN = 1L << 20;

  private final Path target;
  private final UserPrincipal owner;
  private final List<Path> directories = new ArrayList<>();
  /** null: no write-back (a scratch copy removed right after) */
  private final ExecutorService syncer;
  private final AtomicReference<IOException> syncFailure = new AtomicReference<>();

  /**
   * @param target an existing directory
   * @param owner the owner every extracted file gets; null to keep this process's user
   */
  TarExtractor(Path target, UserPrincipal owner, boolean writeBack) {
    this.target = target.toAbsolutePath().normalize();
    this.owner = owner;
    this.syncer = writeBack ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lay-down-sync");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /**
   * Extracts one tar stream; call {@link #finish()} once all streams are extracted.
   *
   * @param under where in the target the stream's paths start ("" for the target itself)
   * @param bytesWritten called with the file bytes written so far by this call, about every megabyte
   * @return file bytes written
   */
  long extract(InputStream in, String under, LongConsumer bytesWritten) throws IOException {
    return extract(in, under, null, bytesWritten);
  }

  /**
   * @param manifest checks every regular file of the stream against it (paths relative to the
   *     stream); null: no check
   */
  long extract(InputStream in, String under, BackupManifest manifest, LongConsumer bytesWritten) throws IOException {
    byte[] header = new byte[BLOCK];
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    long total = 0;
    while (true) {
      if (!readFully(in, header, BLOCK)) {
        return total; // end of stream without the two zero blocks: pg_basebackup always writes them
      }
      if (isZero(header)) {
        return total;
      }
      String name = string(header, 0, 100);
      String prefix = string(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size = number(header, 124, 12);
      int mode = (int) number(header, 100, 8);
      char type = (char) header[156];
      Path path = resolve(under.isEmpty() ? name : under + "/" + name);
      switch (type) {
        case '5' -> {
          Files.createDirectories(path);
          setMode(path, mode);
          directories.add(path);
        }
        case '2' ->
          // a data directory without tablespaces has no links; one would let later entries write through it
          throw new BackupManifest.DamagedException("tar entry '" + name + "' is a symbolic link (to " + string(header, 157, 100)
              + "): a snapshot of a data directory without tablespaces holds none");
        case '0', '\0' -> {
          Files.createDirectories(path.getParent());
          BackupManifest.Check check = manifest == null ? null : manifest.check(name);
          total += writeFile(in, path, size, mode, buffer, check, total, bytesWritten);
          skip(in, padding(size));
        }
        default -> throw new BackupManifest.DamagedException("unsupported tar entry type '" + type + "' for " + name);
      }
    }
  }

  /**
   * Hands the directories to the owner once all streams are extracted (their files are in place),
   * then waits until every file is written back and throws the first write-back failure.
   */
  void finish() throws IOException {
    for (Path dir : directories) {
      own(dir);
    }
    if (syncer != null) {
      syncer.shutdown();
      try {
        while (!syncer.awaitTermination(1, TimeUnit.MINUTES)) {
          log.info("Still writing {} back to disk", target);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing " + target + " back to disk");
      }
    }
    IOException failure = syncFailure.get();
    if (failure != null) {
      throw new IOException("cannot write " + target + " back to disk: " + failure.getMessage(), failure);
    }
  }

  /** Stops the write-back of an extraction that failed (its directory is about to go). */
  @Override
  public void close() {
    if (syncer != null) {
      syncer.shutdownNow();
    }
  }

  private void syncLater(Path path) {
    if (syncer == null) {
      return;
    }
    syncer.execute(() -> {
      try {
        FileTrees.sync(path);
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof ClosedByInterruptException)) { // close(): the extraction failed
          syncFailure.compareAndSet(null, e.getCause());
        }
      }
    });
  }

  private long writeFile(InputStream in, Path path, long size, int mode, ByteBuffer buffer,
      BackupManifest.Check check, long before, LongConsumer bytesWritten) throws IOException {
    try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long left = size;
      long sinceReport = 0;
      long sinceSync = 0;
      while (left > 0) {
        buffer.clear();
        int want = (int) Math.min(buffer.capacity(), left);
        int n = in.read(buffer.array(), 0, want);
        if (n < 0) {
          throw new BackupManifest.DamagedException("tar stream ends inside " + path);
        }
        if (check != null) {
          check.update(buffer.array(), 0, n);
        }
        buffer.limit(n);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        left -= n;
        sinceReport += n;
        sinceSync += n;
        if (sinceReport >= BUFFER) {
          bytesWritten.accept(before + size - left);
          sinceReport = 0;
        }
        if (sinceSync >= SYNC_EVERY && left > 0) {
          syncLater(path);
          sinceSync = 0;
        }
      }
    }
    if (check != null) {
      check.finish(size);
    }
    if (size >= SYNC_MIN) {
      syncLater(path);
    }
    setMode(path, mode);
    own(path);
    return size;
  }

  /** The content of the regular file {@code wanted} of a tar stream; empty when the stream has none. */
  static java.util.Optional<byte[]> readEntry(InputStream in, String wanted) throws IOException {
    byte[] header = new byte[BLOCK];
    while (readFully(in, header, BLOCK) && !isZero(header)) {
      String name = string(header, 0, 100);
      long size = number(header, 124, 12);
      char type = (char) header[156];
      boolean file = type == '0' || type == '\0';
      if (file && name.equals(wanted)) {
        if (size > 16 << 20) {
          throw new IOException(wanted + " is " + size + " bytes: not a small file");
        }
        byte[] content = new byte[(int) size];
        if (size > 0 && !readFully(in, content, (int) size)) {
          throw new BackupManifest.DamagedException("tar stream ends inside " + wanted);
        }
        return java.util.Optional.of(content);
      }
      if (file) {
        skip(in, size + padding(size));
      }
    }
    return java.util.Optional.empty();
  }

  private Path resolve(String name) throws IOException {
    String clean = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    Path path = target.resolve(clean).normalize();
    if (clean.isEmpty() || !path.startsWith(target) || path.equals(target)) {
      throw new BackupManifest.DamagedException("tar entry '" + name + "' points outside " + target);
    }
    return path;
  }

  private void own(Path path) throws IOException {
    if (owner != null) {
      Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class,
          java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(owner);
    }
  }

  private static void setMode(Path path, int mode) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        perms.add(all[i]);
      }
    }
    Files.setPosixFilePermissions(path, perms);
  }

  private static long padding(long size) {
    long rest = size % BLOCK;
    return rest == 0 ? 0 : BLOCK - rest;
  }

  private static boolean readFully(InputStream in, byte[] b, int len) throws IOException {
    int off = 0;
    while (off < len) {
      int n = in.read(b, off, len - off);
      if (n < 0) {
        if (off == 0) {
          return false;
        }
        throw new BackupManifest.DamagedException("tar stream ends inside a header");
      }
      off += n;
    }
    return true;
  }

  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new BackupManifest.DamagedException("tar stream ends inside padding");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** Octal, or base-256 (high bit set) as GNU tar and pg_basebackup write sizes of 8 GB and more. */
  static long number(byte[] b, int off, int len) throws IOException {
    if ((b[off] & 0x80) != 0) {
      long v = b[off] & 0x7f;
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (b[off + i] & 0xff);
      }
      return v;
    }
    String s = string(b, off, len).trim();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new BackupManifest.DamagedException("bad number '" + s + "' in tar header", e);
    }
  }
}
