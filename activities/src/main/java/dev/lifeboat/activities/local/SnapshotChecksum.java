package dev.lifeboat.activities.local;

import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Checksums and verification of a snapshot's files. The checksum is cheap: SHA-256 of the
 * {@code backup_manifest} that {@code pg_basebackup} writes, which lists the size and CRC-32C of
 * every file of the backup. Verification checks that a backup has that manifest, the recorded
 * bytes, and files that match the manifest ({@code pg_verifybackup}: every size and checksum, and
 * the WAL the backup carries in {@code pg_wal}).
 */
final class SnapshotChecksum {
  static final String MANIFEST = "backup_manifest";
  private static final String PREFIX = "sha256:";
  private static final Duration VERIFY_TIMEOUT = Duration.ofHours(2);

  private final LocalContext ctx;

  SnapshotChecksum(LocalContext ctx) {
    this.ctx = ctx;
  }

  /** Records the checksum of an available snapshot that has none yet; returns the record as saved. */
  SnapshotRecord ensure(SnapshotRecord record) {
    if (!record.available() || record.checksum() != null) {
      return record;
    }
    return ctx.locked(lockKey(record.region(), record.id()), () -> {
      SnapshotRecord current = ctx.snapshots.find(record.region(), record.id()).orElse(record);
      if (current.checksum() != null || !current.available()) {
        return current;
      }
      SnapshotRecord withChecksum = current.withChecksum(of(ctx.snapshots.dataDir(record.region(), record.id())));
      ctx.snapshots.save(withChecksum);
      return withChecksum;
    });
  }

  /** What is wrong with the backup in {@code dataDir} compared with {@code expected}; empty when nothing. */
  Optional<String> problems(Path dataDir, SnapshotRecord expected) {
    if (!Files.exists(dataDir.resolve(MANIFEST))) {
      return Optional.of("no " + MANIFEST + " in " + dataDir);
    }
    String checksum = of(dataDir);
    if (expected.checksum() != null && !expected.checksum().equals(checksum)) {
      return Optional.of(MANIFEST + " checksum is " + checksum + ", expected " + expected.checksum());
    }
    long bytes = FileTrees.size(dataDir);
    if (bytes != expected.bytes()) {
      return Optional.of("holds " + bytes + " bytes, expected " + expected.bytes());
    }
    if (!SnapshotFormat.isCompressed(dataDir)) {
      return verifyBackup(dataDir);
    }
    // pg_verifybackup (PostgreSQL 15) reads plain backups only: check the compressed one as a
    // restore would lay it down, in a scratch directory beside it
    Path scratch = dataDir.resolveSibling("." + dataDir.getFileName() + ".verify");
    FileTrees.deleteRecursively(scratch);
    try {
      SnapshotFormat.layDown(ctx.runner, dataDir, scratch, bytes, false, ProgressListener.NONE);
      Files.copy(dataDir.resolve(MANIFEST), scratch.resolve(MANIFEST));
      ctx.osUser.own(scratch.resolve(MANIFEST));
      // the lay-down checked every file against the manifest: pg_verifybackup checks the manifest
      // itself and the WAL the backup needs
      return verifyBackup(scratch, "--skip-checksums");
    } catch (IOException e) {
      return Optional.of("cannot lay down the backup to verify it: " + e.getMessage());
    } catch (RuntimeException e) {
      return Optional.of("cannot lay down the backup to verify it: " + e.getMessage());
    } finally {
      FileTrees.deleteRecursively(scratch);
    }
  }

  private Optional<String> verifyBackup(Path plainBackup, String... options) {
    List<String> command = new java.util.ArrayList<>(List.of(ctx.binaries.tool("pg_verifybackup"), "--quiet"));
    command.addAll(List.of(options));
    command.add(plainBackup.toString());
    ProcessRunner.Result verify = ctx.runner.runAsPg(command, VERIFY_TIMEOUT);
    return verify.ok() ? Optional.empty() : Optional.of("pg_verifybackup: " + verify.tail(5).trim());
  }

  static String lockKey(String region, String snapshotId) {
    return "snapshot:" + region + "/" + snapshotId;
  }

  /** {@code sha256:<hex>} of the backup's manifest. */
  static String of(Path backupDataDir) {
    return PREFIX + Sha256.of(backupDataDir.resolve(MANIFEST));
  }
}
