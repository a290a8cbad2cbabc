package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The two ways a snapshot's {@code data/} directory holds its base backup, told apart by what it
 * contains:
 * <ul>
 *   <li><b>compressed</b> (taken since issue 9): {@code pg_basebackup -Ft} with server-side zstd,
 *       so {@code base.tar.zst}, the WAL streamed during the backup as {@code pg_wal.tar.zst}, and
 *       {@code backup_manifest} (uncompressed, so its checksum identifies the backup as before);
 *   <li><b>plain</b> (older snapshots, still restored): a data directory ready to copy.
 * </ul>
 * Laying a compressed snapshot down decompresses it in this JVM and writes the files
 * ({@link TarExtractor}) while a second thread writes them back to disk. The plain kind is copied
 * with {@code cp -a} ({@link TreeCopy}).
 */
final class SnapshotFormat {
  static final String BASE = "base.tar.zst";
  static final String WAL = "pg_wal.tar.zst";
  private static final String WAL_TAR = "pg_wal.tar";
  private static final long REPORT_EVERY_NANOS = 1_000_000_000L;
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(30);

  private SnapshotFormat() {}

  static boolean isCompressed(Path backupDir) {
    return Files.exists(backupDir.resolve(BASE));
  }

  /**
   * What {@code pg_basebackup} needs for a compressed snapshot. Level 1: on this data level 3 gave
   * the same size and took longer; the server compresses with two threads. {@code --no-sync}: the
   * files are synced by {@link #finishBackup}, the base while the WAL is compressed.
   */
  static List<String> backupArgs() {
    int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    return List.of("-Ft", "--compress=server-zstd:level=1,workers=" + workers, "--no-sync");
  }

  /**
   * After {@code pg_basebackup -Ft --no-sync}: the client writes the streamed WAL uncompressed
   * (server-side compression covers only what the server sends as tar), so it is compressed here
   * while another thread syncs the rest; then the compressed WAL, the directory and its parent are
   * synced, and only then does the tar go: a crash never leaves neither, and nothing of the snapshot
   * is left unsynced when this returns (the snapshot is marked available after). A backup with
   * tablespaces (one more tar each) is refused, a restore lays down {@code base} only.
   */
  static void finishBackup(ProcessRunner runner, Path backupDir) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(backupDir)) {
      s.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + backupDir, e);
    }
    List<String> tars = files.stream().map(p -> p.getFileName().toString()).filter(n -> n.contains(".tar"))
        .filter(n -> !n.equals(BASE) && !n.equals(WAL_TAR)).toList();
    if (!tars.isEmpty()) {
      throw new IllegalStateException("the instance has tablespaces (" + tars + "): compressed snapshots hold the"
          + " main data directory only");
    }
    Path walTar = backupDir.resolve(WAL_TAR);
    CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> files.stream()
        .filter(p -> !p.equals(walTar) && Files.isRegularFile(p)).forEach(FileTrees::sync), task -> {
          Thread t = new Thread(task, "snapshot-sync");
          t.setDaemon(true);
          t.start();
        });
    try {
      if (Files.exists(walTar)) {
        compress(walTar, backupDir.resolve(WAL));
        runner.osUser().own(backupDir.resolve(WAL));
        FileTrees.sync(backupDir.resolve(WAL));
      }
    } catch (RuntimeException | Error e) {
      try {
        rest.join();
      } catch (CompletionException other) {
        e.addSuppressed(other.getCause());
      }
      throw e;
    }
    try {
      rest.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
    FileTrees.sync(backupDir);
    FileTrees.sync(backupDir.getParent());
    if (Files.exists(walTar)) {
      try {
        Files.delete(walTar);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + walTar, e);
      }
    }
  }

  /**
   * zstd level 1 with a content checksum, as {@code zstd -1} writes it, in this JVM: a zstd
   * process costs about 16 ms to start and 45 ms for a 16 MB WAL tar here, zstd-jni about 12 ms.
   */
  private static void compress(Path from, Path to) {
    try (InputStream in = Files.newInputStream(from);
        OutputStream file = Files.newOutputStream(to);
        ZstdOutputStream out = new ZstdOutputStream(new BufferedOutputStream(file, 1 << 16), 1)) {
      out.setChecksum(true);
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compress " + from + " into " + to + ": " + e.getMessage(), e);
    }
  }

  /**
   * A zstd file decompressed in this JVM (zstd-jni; it refuses a truncated or damaged frame and
   * checks the content checksum where the frame has one). Closing it closes the file.
   */
  static InputStream openZstd(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      return new ZstdInputStream(new BufferedInputStream(in, 1 << 17));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** The backup's {@code backup_label}, whichever the format. */
  static String backupLabel(Path backupDir) {
    if (!isCompressed(backupDir)) {
      try {
        return Files.readString(backupDir.resolve("backup_label"), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read backup_label in " + backupDir, e);
      }
    }
    try (InputStream in = openZstd(backupDir.resolve(BASE))) {
      // the server sends backup_label first: this reads a few blocks, not the whole backup
      Optional<byte[]> label = TarExtractor.readEntry(in, "backup_label");
      return new String(label.orElseThrow(() -> new IllegalStateException("no backup_label in " + backupDir
          .resolve(BASE))), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read backup_label from " + backupDir.resolve(BASE), e);
    }
  }

  /**
   * Lays the backup in {@code backupDir} down as the data directory {@code dataDir} (which must
   * not exist), owned by the server's user.
   *
   * @return bytes written
   */
  static long layDown(ProcessRunner runner, Path backupDir, Path dataDir, long backupBytes,
      ProgressListener progress) {
    return layDown(runner, backupDir, dataDir, backupBytes, true, progress);
  }

  /**
   * @param writeBack false for a scratch copy removed right after (no write-back to disk while it
   *     is extracted; see TarExtractor)
   */
  static long layDown(ProcessRunner runner, Path backupDir, Path dataDir, long backupBytes, boolean writeBack,
      ProgressListener progress) {
    if (!isCompressed(backupDir)) {
      return TreeCopy.copy(runner, backupDir, dataDir, backupBytes, progress);
    }
    if (Files.exists(dataDir)) {
      throw new IllegalStateException("lay-down target " + dataDir + " exists already");
    }
    OsUser osUser = runner.osUser();
    osUser.createOwnedDirectory(dataDir, "700");
    long[] lastReport = {System.nanoTime()};
    try (TarExtractor extractor = new TarExtractor(dataDir, owner(osUser), writeBack)) {
      // every file of the base checked against the manifest as it is written: a damaged snapshot fails
      // here, not as a server that starts with wrong data
      BackupManifest manifest = BackupManifest.read(backupDir.resolve(SnapshotChecksum.MANIFEST));
      long expected = manifest.totalBytes();
      long base = extract(extractor, backupDir.resolve(BASE), "", manifest, bytes -> report(progress, lastReport,
          bytes, expected));
      manifest.requireAllSeen();
      long wal = Files.exists(backupDir.resolve(WAL))
          ? extract(extractor, backupDir.resolve(WAL), "pg_wal", null, bytes -> report(progress, lastReport,
              base + bytes, expected))
          : 0;
      extractor.finish();
      if (writeBack) {
        // one syncfs for the small files TarExtractor left (one flush, not one per file); it reports a
        // write-back error nobody has seen yet (Linux 5.8 and later), so the lay-down fails on it
        ProcessRunner.check(runner.run(List.of("sync", "-f", dataDir.toString()), SYNC_TIMEOUT));
      }
      progress.progress("laying down the snapshot: done", 100, base + wal);
      return base + wal;
    } catch (BackupManifest.DamagedException e) {
      // the caller names the snapshot and says what to do
      throw new LifeboatException(ErrorType.SNAPSHOT_DAMAGED, "the backup in " + backupDir + " is damaged: "
          + e.getMessage(), details("backupDir", backupDir.toString(), "problem", e.getMessage()), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay down " + backupDir + " into " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decompresses in this JVM ({@link #openZstd}; the server's base tar has no content checksum, the
   * WAL has): 0.5 s for 775 MB here,
   * where a {@code zstd -d} process feeding a pipe took 0.9 s.
   */
  private static long extract(TarExtractor extractor, Path tarZst, String under, BackupManifest manifest,
      java.util.function.LongConsumer bytes) throws IOException {
    try (InputStream in = new ReadErrorsAsDamage(tarZst)) {
      long written = extractor.extract(in, under, manifest, bytes);
      in.transferTo(java.io.OutputStream.nullOutputStream()); // the trailing blocks and the end of the frame
      return written;
    }
  }

  /**
   * The decompressed stream of a snapshot file, whose read errors (a truncated or corrupt zstd frame,
   * an unreadable disk) mean a damaged snapshot; errors writing the laid-down files stay what they are.
   */
  private static final class ReadErrorsAsDamage extends java.io.FilterInputStream {
    private final Path file;

    ReadErrorsAsDamage(Path file) throws IOException {
      super(open(file));
      this.file = file;
    }

    private static InputStream open(Path file) throws IOException {
      try {
        return openZstd(file);
      } catch (IOException e) {
        throw damaged(file, e);
      }
    }

    private IOException damaged(IOException e) {
      return damaged(file, e);
    }

    /** An interrupted read (a cancelled restore, a worker shutting down) says nothing about the snapshot. */
    private static IOException damaged(Path file, IOException e) {
      if (e instanceof java.nio.channels.ClosedByInterruptException || e instanceof java.io.InterruptedIOException
          || Thread.currentThread().isInterrupted()) {
        return e;
      }
      return new BackupManifest.DamagedException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw damaged(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        throw damaged(e);
      }
    }
  }

  private static void report(ProgressListener progress, long[] lastReport, long bytes, long expected) {
    long now = System.nanoTime();
    if (now - lastReport[0] < REPORT_EVERY_NANOS) {
      return;
    }
    lastReport[0] = now;
    progress.progress("laying down the snapshot", expected > 0 ? (int) Math.min(99, bytes * 100 / expected) : null,
        bytes);
  }

  private static UserPrincipal owner(OsUser osUser) {
    if (!osUser.switching()) {
      return null;
    }
    try {
      return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService()
          .lookupPrincipalByName(osUser.name());
    } catch (IOException e) {
      throw new UncheckedIOException("no OS user " + osUser.name(), e);
    }
  }
}
