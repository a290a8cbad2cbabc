package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-region copies: a snapshot lands in the target region under the same id together with what
 * a restore there needs, the instance's archived WAL from the snapshot's start segment to the
 * newest archived one.
 *
 * <p>Order of work, so that a crash at any point leaves nothing a restore could mistake for a copy:
 * the WAL is topped up first (each file renamed into place when complete), the base backup is
 * copied into {@code snapshots/.<id>.copy/}, verified against the source's checksum and its
 * manifest, renamed to {@code snapshots/<id>/}, and only then does {@code snapshot.json} appear.
 * A directory without {@code snapshot.json}, or a copy that no longer verifies, is copied again.
 */
final class SnapshotCopier {
  private static final Logger log = LoggerFactory.getLogger(SnapshotCopier.class);
  static final String COPIED_FROM = "copied-from";
  private static final long REPORT_EVERY_NANOS = 1_000_000_000L;

  private final LocalContext ctx;
  private final SnapshotChecksum checksums;
  private final WalCopier walCopier;

  SnapshotCopier(LocalContext ctx, SnapshotChecksum checksums) {
    this.ctx = ctx;
    this.checksums = checksums;
    this.walCopier = new WalCopier(ctx.osUser);
  }

  SnapshotRecord copy(String sourceRegion, String snapshotId, String targetRegion, ProgressListener progress) {
    String from = ctx.region(sourceRegion);
    String to = ctx.region(targetRegion);
    if (from.equals(to)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Snapshot " + snapshotId + " is in region " + from
          + " already; a copy needs another target region", details("snapshotId", snapshotId, "region", from));
    }
    Optional<SnapshotRecord> found = SnapshotStore.validId(snapshotId) ? ctx.snapshots.find(from, snapshotId)
        : Optional.empty();
    SnapshotRecord source = checksums.ensure(found
        .filter(SnapshotRecord::available)
        .orElseThrow(() -> new LifeboatException(ErrorType.SNAPSHOT_NOT_FOUND, "No available snapshot '" + snapshotId
            + "' in region " + from, details("snapshotId", snapshotId, "region", from))));
    return ctx.locked(SnapshotChecksum.lockKey(to, snapshotId), () -> copyLocked(source, to, progress));
  }

  private SnapshotRecord copyLocked(SnapshotRecord source, String to, ProgressListener progress) {
    Optional<SnapshotRecord> existing = ctx.snapshots.find(to, source.id());
    if (existing.isPresent() && !existing.get().instance().equals(source.instance())) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Snapshot id " + source.id() + " is taken in region " + to
          + " by a snapshot of " + existing.get().instance(),
          details("snapshotId", source.id(), "region", to, "instance", existing.get().instance()));
    }
    Path finalDir = ctx.snapshots.dir(to, source.id());
    boolean reuse = existing.isPresent() && existing.get().available() && verifiedCopy(existing.get(), source);
    WalCopier.Plan wal = walCopier.plan(ctx.archive(source.region(), owner(source)), ctx.archive(to, owner(source)),
        walFrom(source, to));
    long total = wal.bytes() + (reuse ? 0 : source.bytes());
    Progress report = new Progress(progress, total);

    walCopier.copy(wal, copied -> report.at("copying archived WAL", copied));
    if (reuse) {
      report.done("copy was available already; " + wal.files().size() + " new WAL files copied", wal.bytes());
      log.info("Snapshot {} is in {} already; topped up its WAL with {} files ({} bytes)", source.id(), to,
          wal.files().size(), wal.bytes());
      return existing.get();
    }
    if (Files.exists(finalDir)) {
      log.info("Removing the incomplete or damaged copy of snapshot {} in {} before copying it again", source.id(), to);
      FileTrees.deleteRecursively(finalDir);
    }
    Path staging = finalDir.resolveSibling("." + source.id() + ".copy");
    FileTrees.deleteRecursively(staging);
    ctx.osUser.createOwnedDirectory(staging, "755");
    try {
      TreeCopy.copy(ctx.runner, ctx.snapshots.dataDir(source.region(), source.id()), staging.resolve("data"),
          source.bytes(), (detail, percent, bytes) -> report.at("copying the base backup",
              wal.bytes() + (bytes == null ? 0 : bytes)));
      report.at("verifying the copy", wal.bytes() + source.bytes());
      Optional<String> problem = checksums.problems(staging.resolve("data"), source);
      if (problem.isPresent()) {
        throw new LifeboatException(ErrorType.PLATFORM_ERROR, "The copy of snapshot " + source.id() + " from "
            + source.region() + " to " + to + " failed verification: " + problem.get(),
            details("snapshotId", source.id(), "sourceRegion", source.region(), "targetRegion", to,
                "problem", problem.get()));
      }
      move(staging, finalDir);
    } catch (RuntimeException e) {
      FileTrees.deleteRecursively(staging);
      throw e;
    }
    Map<String, String> tags = new LinkedHashMap<>(source.tags());
    tags.put(COPIED_FROM, source.region());
    SnapshotRecord copy = source.copyIn(to, tags);
    ctx.snapshots.save(copy);
    report.done("copied and verified", total);
    log.info("Copied snapshot {} of {} from {} to {} ({} bytes) with {} WAL files ({} bytes)", source.id(),
        source.instance(), source.region(), to, source.bytes(), wal.files().size(), wal.bytes());
    return copy;
  }

  /** An earlier copy is reused only when it still verifies; a damaged one is copied again. */
  private boolean verifiedCopy(SnapshotRecord copy, SnapshotRecord source) {
    Optional<String> problem = checksums.problems(ctx.snapshots.dataDir(copy.region(), copy.id()), source);
    problem.ifPresent(p -> log.warn("Copy of snapshot {} in {} does not verify ({}); copying it again", copy.id(),
        copy.region(), p));
    return problem.isEmpty();
  }

  /**
   * Where the WAL top-up starts: this snapshot's start segment, or that of an older copy of the
   * same archive in the target, so the target's archive stays contiguous for every copy in it.
   */
  private long walFrom(SnapshotRecord source, String to) {
    String owner = owner(source);
    long from = source.start().segno();
    for (SnapshotRecord s : ctx.snapshots.list(to)) {
      if (s.available() && s.startSegment() != null && ctx.archiveOwner(s.instance()).equals(owner)) {
        from = Math.min(from, s.start().segno());
      }
    }
    return from;
  }

  private String owner(SnapshotRecord snapshot) {
    return ctx.archiveOwner(snapshot.instance());
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
    }
  }

  /** Bytes and percent of the whole copy (WAL and base backup), at most once a second. */
  private static final class Progress {
    private final ProgressListener listener;
    private final long total;
    private long lastReport;

    Progress(ProgressListener listener, long total) {
      this.listener = listener;
      this.total = total;
    }

    void at(String detail, long bytes) {
      long now = System.nanoTime();
      if (lastReport != 0 && now - lastReport < REPORT_EVERY_NANOS) {
        return;
      }
      lastReport = now;
      listener.progress(detail, total > 0 ? (int) Math.min(99, bytes * 100 / total) : null, bytes);
    }

    void done(String detail, long bytes) {
      listener.progress(detail, 100, bytes);
    }
  }
}
