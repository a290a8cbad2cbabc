package dev.lifeboat.fakerds;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The DB instances of every region: the managed instances (home region, as the platform has them)
 * and the temporary instances restored through the fake. A listing adopts temporary instances the
 * platform has and the fake does not know (created before it started), and drops entries of
 * restored instances the platform no longer has once they were available.
 */
final class Instances {
  static final String DEFAULT_CLASS = "db.t3.medium";
  static final String MANAGED_CLASS = "db.r6g.large";

  private final Backend backend;
  private final Map<String, InstanceRec> byId = new ConcurrentHashMap<>();

  Instances(Backend backend) {
    this.backend = backend;
  }

  /** One entry with its local record (empty while it is being created or after a failure). */
  record Entry(InstanceRec rec, Optional<InstanceInfo> local) {}

  synchronized void refresh() {
    List<InstanceInfo> all = backend.platform.listInstances();
    Set<String> localIds = new HashSet<>();
    for (InstanceInfo info : all) {
      localIds.add(info.id());
      if (backend.options.managedInstances().contains(info.id()) && !byId.containsKey(info.id())) {
        byId.put(info.id(), new InstanceRec(backend.home(), info.id(), true, InstanceRec.AVAILABLE, null,
            MANAGED_CLASS, "default", List.of(), false, info.createdAt(), Map.of(), backend.kmsKey(backend.home()),
            info.source(), false));
      } else if (info.role() == InstanceRole.TEMPORARY && !byId.containsKey(info.id())
          && backend.platform.regions().contains(info.region())) {
        byId.put(info.id(), new InstanceRec(info.region(), info.id(), false, InstanceRec.AVAILABLE, null,
            DEFAULT_CLASS, backend.options.subnetGroup(), backend.options.securityGroups(), false, info.createdAt(),
            RestoreTags.of(info), backend.kmsKey(info.region()), info.source(), false));
      }
    }
    for (InstanceRec rec : new ArrayList<>(byId.values())) {
      if (InstanceRec.AVAILABLE.equals(rec.status()) && !localIds.contains(rec.id())) {
        byId.remove(rec.id());
      }
    }
  }

  List<Entry> list(String region) {
    refresh();
    Map<String, InstanceInfo> local = new ConcurrentHashMap<>();
    backend.platform.listInstances().forEach(i -> local.put(i.id(), i));
    return byId.values().stream().filter(r -> r.region().equals(region))
        .sorted(Comparator.comparing(InstanceRec::id))
        .map(r -> new Entry(r, Optional.ofNullable(local.get(r.id()))))
        .toList();
  }

  Optional<Entry> find(String region, String id) {
    refresh();
    InstanceRec rec = byId.get(id);
    if (rec == null || !rec.region().equals(region)) {
      return Optional.empty();
    }
    return Optional.of(new Entry(rec, backend.local(id)));
  }

  /** Any region: instance ids are unique on the platform's machine. */
  boolean exists(String id) {
    refresh();
    return byId.containsKey(id) || backend.local(id).isPresent();
  }

  synchronized void add(InstanceRec rec) {
    if (exists(rec.id())) {
      throw new ApiError(400, "DBInstanceAlreadyExists", "DB instance already exists");
    }
    byId.put(rec.id(), rec);
  }

  void update(String id, UnaryOperator<InstanceRec> change) {
    byId.computeIfPresent(id, (k, v) -> change.apply(v));
  }

  void remove(String id) {
    byId.remove(id);
  }

  long count(String region) {
    refresh();
    return byId.values().stream().filter(r -> r.region().equals(region)).count();
  }

  /** Marks an instance deleting; returns it as it was before, atomically with {@link #finishCreate}. */
  Optional<InstanceRec> markDeleting(String id) {
    InstanceRec[] before = new InstanceRec[1];
    byId.computeIfPresent(id, (k, v) -> {
      before[0] = v;
      return InstanceRec.DELETING.equals(v.status()) ? v : v.deleting();
    });
    return Optional.ofNullable(before[0]);
  }

  /** Ends a restore with a status; true when a delete was asked for meanwhile (the caller deletes it). */
  boolean finishCreate(String id, String status, String reason) {
    boolean[] delete = new boolean[1];
    byId.computeIfPresent(id, (k, v) -> {
      delete[0] = v.deleteRequested();
      return v.deleteRequested() ? v : v.withStatus(status, reason);
    });
    return delete[0];
  }
}
