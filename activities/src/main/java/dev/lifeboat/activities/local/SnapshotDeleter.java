package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a snapshot in one region, then the archived WAL there that no remaining snapshot of the
 * same archive needs: segments before the start segment of the oldest remaining one. With no
 * snapshot left the WAL stays: it may be all that is left of the instance's history, and nothing
 * can be restored from it without a snapshot, but deleting history is a decision for a person.
 */
final class SnapshotDeleter {
  private static final Logger log = LoggerFactory.getLogger(SnapshotDeleter.class);

  private final LocalContext ctx;

  SnapshotDeleter(LocalContext ctx) {
    this.ctx = ctx;
  }

  /** @return false when the region holds no snapshot of that id */
  boolean delete(String region, String snapshotId) {
    String r = ctx.region(region);
    if (!SnapshotStore.validId(snapshotId)) {
      return false; // not a name a snapshot can have, and never a path to resolve
    }
    return ctx.locked(SnapshotChecksum.lockKey(r, snapshotId), () -> {
      Path dir = ctx.snapshots.dir(r, snapshotId);
      if (!Files.exists(dir)) {
        return false;
      }
      Optional<SnapshotRecord> found = ctx.snapshots.find(r, snapshotId);
      // out of sight first: a crash half-way leaves a dot directory, never half a snapshot
      Path trash = dir.resolveSibling("." + snapshotId + ".deleting");
      FileTrees.deleteRecursively(trash);
      try {
        Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot move " + dir + " aside to delete it", e);
      }
      FileTrees.deleteRecursively(trash);
      if (found.isEmpty()) {
        log.info("Removed the remains of an unfinished snapshot {} in {}", snapshotId, r);
        return false;
      }
      log.info("Deleted snapshot {} of {} in {}", snapshotId, found.get().instance(), r);
      pruneWal(r, ctx.archiveOwner(found.get().instance()));
      return true;
    });
  }

  private void pruneWal(String region, String owner) {
    Optional<SnapshotRecord> oldest = ctx.snapshots.list(region).stream()
        .filter(s -> s.startSegment() != null && ctx.archiveOwner(s.instance()).equals(owner))
        .min(Comparator.comparingLong(s -> s.start().segno()));
    if (oldest.isEmpty()) {
      log.info("No snapshot of {} remains in {}; its archived WAL is kept", owner, region);
      return;
    }
    int removed = ctx.archive(region, owner).removeBefore(oldest.get().start().segno());
    log.info("Removed {} archived WAL files of {} in {} from before {}, where snapshot {} starts", removed, owner,
        region, oldest.get().startSegment(), oldest.get().id());
  }
}
