package dev.lifeboat.activities.local;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.PreflightCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local platform's preflight: PostgreSQL binaries, each managed instance running, each
 * primary's WAL archiver not failing, each region's storage writable with room left.
 */
final class LocalPreflight {
  /** Under this much free space in the data root a snapshot or restore may not fit: a warning. */
  static final long LOW_SPACE_BYTES = 1L << 30;

  private final LocalContext ctx;

  LocalPreflight(LocalContext ctx) {
    this.ctx = ctx;
  }

  List<PreflightCheck> run(List<InstanceInfo> instances) {
    List<PreflightCheck> checks = new ArrayList<>();
    checks.add(PreflightCheck.ok("binaries", null, null, "PostgreSQL binaries in " + ctx.binaries.binDir(),
        Map.of("binDir", ctx.binaries.binDir().toString())));
    for (InstanceInfo instance : instances) {
      if (instance.role() != InstanceRole.PRIMARY && instance.role() != InstanceRole.REPLICA) {
        continue;
      }
      checks.add(running(instance));
      if (instance.role() == InstanceRole.PRIMARY && "available".equals(instance.status())) {
        checks.add(archiver(instance));
      }
    }
    for (String region : ctx.config.regions()) {
      checks.add(storage(region));
    }
    return checks;
  }

  private PreflightCheck running(InstanceInfo instance) {
    if ("available".equals(instance.status())) {
      return PreflightCheck.ok("instance", instance.id(), instance.region(), instance.role().name().toLowerCase()
          + " is running on port " + instance.endpoint().port(), Map.of("status", instance.status()));
    }
    return PreflightCheck.fail("instance", instance.id(), instance.region(), instance.id() + " is " + instance.status()
        + ": start it (its log is " + ctx.registry.logFile(instance.id()) + ")", Map.of("status", instance.status()));
  }

  private PreflightCheck archiver(InstanceInfo instance) {
    String sql = "select archived_count, last_archived_wal, last_archived_time, failed_count, last_failed_wal,"
        + " last_failed_time from pg_stat_archiver";
    try (Connection c = Jdbc.dataSource(instance.endpoint().port(), instance.endpoint().database()).getConnection();
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      Timestamp archived = rs.getTimestamp("last_archived_time");
      Timestamp failed = rs.getTimestamp("last_failed_time");
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("archivedCount", rs.getLong("archived_count"));
      details.put("lastArchivedWal", rs.getString("last_archived_wal"));
      details.put("failedCount", rs.getLong("failed_count"));
      if (failed != null && (archived == null || failed.after(archived))) {
        details.put("lastFailedWal", rs.getString("last_failed_wal"));
        return PreflightCheck.fail("wal-archive", instance.id(), instance.region(), "WAL archiving of "
            + instance.id() + " is failing (last failure " + failed.toInstant() + " on " + rs.getString("last_failed_wal")
            + "): point-in-time restores will stop at the last archived segment; check archive_command and the"
            + " archive directory " + ctx.archiveDir(instance.region(), instance.id()), details);
      }
      return PreflightCheck.ok("wal-archive", instance.id(), instance.region(), archived == null
          ? "archiver running, nothing archived yet" : "last segment archived at " + archived.toInstant(), details);
    } catch (SQLException e) {
      return PreflightCheck.fail("wal-archive", instance.id(), instance.region(), "could not read pg_stat_archiver of "
          + instance.id() + ": " + e.getMessage(), Map.of());
    }
  }

  private PreflightCheck storage(String region) {
    Path dir = ctx.config.dataRoot().resolve("regions").resolve(region);
    try {
      Files.createDirectories(dir);
      long usable = Files.getFileStore(dir).getUsableSpace();
      Map<String, Object> details = Map.of("path", dir.toString(), "usableBytes", usable);
      if (!Files.isWritable(dir)) {
        return PreflightCheck.fail("storage", null, region, dir + " is not writable: snapshots and WAL cannot be"
            + " stored in " + region, details);
      }
      if (usable < LOW_SPACE_BYTES) {
        return PreflightCheck.warn("storage", null, region, "only " + (usable >> 20) + " MiB free under " + dir
            + ": the next snapshot may not fit", details);
      }
      return PreflightCheck.ok("storage", null, region, (usable >> 20) + " MiB free under " + dir, details);
    } catch (IOException e) {
      return PreflightCheck.fail("storage", null, region, "cannot use " + dir + ": " + e.getMessage(), Map.of());
    }
  }
}
