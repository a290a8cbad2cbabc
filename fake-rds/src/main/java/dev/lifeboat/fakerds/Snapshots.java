package dev.lifeboat.fakerds;

import dev.lifeboat.common.model.SnapshotInfo;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The DB snapshots of every region. The local platform is the truth about what exists: each
 * listing first adopts local snapshots of managed instances that no entry points at (taken before
 * the fake started, or by Lifeboat's local platform), and drops available entries whose local
 * snapshot is gone. Entries of work in flight are the fake's own.
 */
final class Snapshots {
  private final Backend backend;
  private final Map<String, SnapshotRec> byKey = new ConcurrentHashMap<>();
  /** Local snapshots being deleted in the background: not adopted again meanwhile. */
  private final Set<String> deletingLocal = ConcurrentHashMap.newKeySet();

  Snapshots(Backend backend) {
    this.backend = backend;
  }

  private static String key(String region, String id) {
    return region + "/" + id;
  }

  /** Adopts and drops as the local platform says (see the class comment). */
  synchronized void refresh(String region) {
    List<SnapshotInfo> local = backend.platform.listSnapshots(null, region);
    Set<String> localIds = local.stream().map(SnapshotInfo::id).collect(Collectors.toSet());
    Set<String> referenced = new HashSet<>();
    for (SnapshotRec s : inRegion(region)) {
      if (s.available() && !localIds.contains(s.localId())) {
        byKey.remove(key(region, s.id()));
      } else {
        referenced.add(s.localId());
      }
    }
    for (SnapshotInfo info : local) {
      if (referenced.contains(info.id()) || deletingLocal.contains(key(region, info.id()))
          || !backend.options.managedInstances().contains(info.instance())
          || byKey.containsKey(key(region, info.id()))) {
        continue;
      }
      byKey.put(key(region, info.id()), adopt(region, info));
    }
  }

  private SnapshotRec adopt(String region, SnapshotInfo info) {
    String status = switch (info.status()) {
      case "available" -> SnapshotRec.AVAILABLE;
      case "creating" -> SnapshotRec.CREATING;
      default -> SnapshotRec.FAILED;
    };
    String copiedFrom = info.tags().get("copied-from");
    String sourceArn = copiedFrom == null ? null : backend.arns.snapshot(copiedFrom, info.id());
    return new SnapshotRec(region, info.id(), info.id(), info.instance(), status,
        SnapshotRec.AVAILABLE.equals(status) ? 100 : 0, info.startedAt(), info.startedAt(), info.stoppedAt(),
        info.bytes(), info.tags(), backend.kmsKey(region), sourceArn, copiedFrom, info.startedAt(), null);
  }

  List<SnapshotRec> inRegion(String region) {
    return byKey.values().stream().filter(s -> s.region().equals(region))
        .sorted(Comparator.comparing(SnapshotRec::createdAt).thenComparing(SnapshotRec::id))
        .toList();
  }

  /** After a refresh, the region's snapshots in creation order. */
  List<SnapshotRec> list(String region) {
    refresh(region);
    return inRegion(region);
  }

  Optional<SnapshotRec> find(String region, String id) {
    refresh(region);
    return Optional.ofNullable(byKey.get(key(region, id)));
  }

  /**
   * Adds a new entry unless the id is taken or the quota is used up (checked together, so
   * concurrent creates cannot overshoot).
   */
  synchronized void add(SnapshotRec rec, int quota) {
    refresh(rec.region());
    if (byKey.containsKey(key(rec.region(), rec.id()))) {
      throw new ApiError(400, "DBSnapshotAlreadyExists", "Cannot create the snapshot because a snapshot with the"
          + " identifier " + rec.id() + " already exists.");
    }
    if (inRegion(rec.region()).size() >= quota) {
      throw new ApiError(400, "SnapshotQuotaExceeded", "Cannot create more than " + quota
          + " manual snapshots in region " + rec.region() + ".");
    }
    byKey.put(key(rec.region(), rec.id()), rec);
  }

  void update(String region, String id, UnaryOperator<SnapshotRec> change) {
    byKey.computeIfPresent(key(region, id), (k, v) -> change.apply(v));
  }

  /**
   * Removes an entry; returns the local id to delete when no other entry of the region points at
   * it (it is then kept from being adopted again until {@link #localDeleted}), else empty.
   */
  synchronized Optional<String> remove(SnapshotRec rec) {
    byKey.remove(key(rec.region(), rec.id()));
    boolean shared = inRegion(rec.region()).stream().anyMatch(s -> s.localId().equals(rec.localId()));
    if (shared) {
      return Optional.empty();
    }
    deletingLocal.add(key(rec.region(), rec.localId()));
    return Optional.of(rec.localId());
  }

  void localDeleted(String region, String localId) {
    deletingLocal.remove(key(region, localId));
  }

  int count(String region) {
    refresh(region);
    return inRegion(region).size();
  }
}
