package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a copied snapshot into a point-in-time recovery of its own (DESIGN.md, pitfall 4): the
 * copy carries the source's configuration, so everything that would tie it to the source is
 * overridden in {@code postgresql.auto.conf}, which the server reads last.
 */
final class RecoveryConfig {
  private static final DateTimeFormatter TARGET_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  /** Settings a copy must not keep: they would make it follow or feed the source. */
  static final Set<String> STRIPPED = Set.of("primary_conninfo", "primary_slot_name", "archive_command",
      // only one recovery target may be set; the copy must not inherit another kind
      "recovery_target", "recovery_target_lsn", "recovery_target_name", "recovery_target_xid",
      // a delayed replica's delay would hold the replay back for nothing
      "recovery_min_apply_delay");

  private RecoveryConfig() {}

  /** @param target the recovery target time; null: to the end of the archive */
  static void apply(PgCluster cluster, OsUser osUser, int port, String restoreCommand, Instant target) {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("port", Integer.toString(port));
    set.put("listen_addresses", "127.0.0.1");
    set.put("unix_socket_directories", "");
    // A clone that archives would push its new timeline into the source's archive, and a later
    // restore following recovery_target_timeline='latest' could then follow the clone.
    set.put("archive_mode", "off");
    set.put("restore_command", restoreCommand);
    Set<String> remove = STRIPPED;
    if (target != null) {
      set.put("recovery_target_time", formatTarget(target));
      set.put("recovery_target_inclusive", "on");
      // pause, where PitrRestorer's promotion request (sent during the replay) is taken: it ends
      // recovery with an end-of-recovery record and a background checkpoint; the "promote" action
      // waits for an immediate checkpoint of everything the replay wrote before it accepts connections
      set.put("recovery_target_action", "pause");
    } else {
      // no target: replay every archived segment, then promote at the end of the archive (a target at
      // the newest commit itself would wait for a later commit that never comes: pitfall 2)
      remove = new HashSet<>(STRIPPED);
      remove.addAll(Set.of("recovery_target_time", "recovery_target_inclusive", "recovery_target_action"));
    }
    // read-only connections during replay let us report replay progress
    set.put("hot_standby", "on");
    // the start-up sync of a laid-down directory: one flush of the file system instead of one per
    // file (about a thousand), the lay-down having written the files back already (TarExtractor).
    // It syncs whatever else is dirty on that file system too: nothing is lost, at worst it waits.
    set.put("recovery_init_sync_method", "syncfs");
    cluster.configure(set, remove);
    try {
      Files.deleteIfExists(cluster.dataDir().resolve("standby.signal"));
      Path signal = cluster.dataDir().resolve("recovery.signal");
      if (!Files.exists(signal)) {
        Files.createFile(signal);
      }
      osUser.own(signal);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write recovery signal in " + cluster.dataDir(), e);
    }
  }

  /** UTC with microseconds, the precision of PostgreSQL timestamps. */
  static String formatTarget(Instant target) {
    return TARGET_FORMAT.format(target);
  }
}
