import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.common.model.SnapshotInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PITR benchmark behind {@code bench/run pitr}: one source cluster per scale, one snapshot
 * each way, one stretch of WAL, one target, and three ways to restore to it (Lifeboat through its
 * REST API, the manual pg_basebackup + cp procedure, pgBackRest). Every restore is checked for the
 * state the source had at the target. Launched as a single-file program on the shaded jar's
 * classpath; {@code bench/run} builds the jar and cleans up whatever this leaves running.
 */
public final class PitrBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final DateTimeFormatter PG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
  static final Duration READY_POLL = Duration.ofMillis(20);
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  /** The ./lifeboat launcher's default JVM options; LIFEBOAT_JAVA_OPTS replaces them, as it does there. */
  static final String JAVA_OPTS = "-XX:+UseSerialGC -Xss512k -Xms32m";
  static final String PG_USER = "postgres";
  /** --keep-logs DIR: the restored servers' logs are copied there before their directories go. */
  static Path keepLogs;

  final Path work;
  final Path pgBin;
  Path jar = Path.of("app/target/lifeboat.jar").toAbsolutePath();
  final List<Integer> scales;
  final int reps;
  final long walMbPerScale;
  final String pgbackrest;
  Process dev;
  long devPid;
  /** The worker, a `lifeboat worker` JVM of its own as in production (the dev JVM runs none). */
  Process worker;
  long workerPid;
  int temporalPort;
  String api;
  /** The dev stack's home, where it writes its bearer tokens ({@code dev-tokens.env}). */
  Path devHome;
  String token;
  LocalPlatform platform;
  final List<String> summary = new ArrayList<>();
  /** Per scale: "method phase" -> seconds, from the restored servers' logs. */
  Map<String, List<Double>> phaseTimes = new LinkedHashMap<>();

  PitrBench(Path work, Path pgBin, List<Integer> scales, int reps, long walMbPerScale) {
    this.work = work;
    this.pgBin = pgBin;
    this.scales = scales;
    this.reps = reps;
    this.walMbPerScale = walMbPerScale;
    this.pgbackrest = Files.isExecutable(Path.of("/usr/bin/pgbackrest")) ? "/usr/bin/pgbackrest" : null;
  }

  public static void main(String[] args) throws Exception {
    Path work = null;
    Path jarArg = null;
    Path pgBin = Path.of("/usr/lib/postgresql/15/bin");
    List<Integer> scales = List.of(10, 50);
    int reps = 3;
    long walMbPerScale = 14; // ~700 MB of WAL after the snapshot at -s 50
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
        case "--pg-bin" -> pgBin = Path.of(args[++i]);
        case "--jar" -> jarArg = Path.of(args[++i]).toAbsolutePath();
        case "--scales" -> scales = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--wal-mb-per-scale" -> walMbPerScale = Long.parseLong(args[++i]);
        case "--keep-logs" -> keepLogs = Path.of(args[++i]).toAbsolutePath();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (work == null) {
      throw new IllegalArgumentException("--work is required");
    }
    PitrBench bench = new PitrBench(work, pgBin, scales, reps, walMbPerScale);
    if (jarArg != null) {
      bench.jar = jarArg;
    }
    int rc = 0;
    try {
      bench.run();
    } catch (Exception e) {
      System.out.println("BENCHMARK FAILED: " + e);
      e.printStackTrace(System.out);
      rc = 1;
    } finally {
      bench.stopDev();
    }
    System.exit(rc);
  }

  void run() throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(work);
    System.out.printf("pitr benchmark: scales %s, %d repetitions, ~%d MB of WAL per scale unit after the snapshot%n",
        scales, reps, walMbPerScale);
    System.out.println("pgBackRest: " + (pgbackrest == null ? "NOT INSTALLED (its column is skipped)" : version()));
    System.out.println(loadLine("at start"));
    startDev();
    platform = new LocalPlatform(LocalPlatformConfig.defaults(work.resolve("lifeboat/platform")));
    startWorker();
    for (int scale : scales) {
      runScale(scale);
    }
    System.out.println();
    System.out.println("== summary ==");
    summary.forEach(System.out::println);
    System.out.println(loadLine("at end"));
    System.out.printf("total benchmark time %.0f s%n", (System.nanoTime() - t0) / 1e9);
  }

  // ---- one scale --------------------------------------------------------------------------

  void runScale(int scale) throws Exception {
    String id = "bench-s" + scale;
    String stanza = id;
    Path scaleDir = work.resolve("s" + scale);
    Path sock = scaleDir.resolve("sock");
    Path manualWal = scaleDir.resolve("manual-wal");
    Path pgbrDir = scaleDir.resolve("pgbackrest");
    Path pgbrConf = pgbrDir.resolve("pgbackrest.conf");
    for (Path d : List.of(scaleDir, sock, manualWal, pgbrDir, pgbrDir.resolve("repo"), pgbrDir.resolve("lock"),
        pgbrDir.resolve("log"), pgbrDir.resolve("spool"))) {
      Files.createDirectories(d);
      own(d);
    }
    System.out.printf("%n== scale %d: source %s ==%n", scale, id);

    // source: a Lifeboat primary (its own zstd archive), also archiving for pgBackRest and by cp
    platform.createPrimary(id, "bench");
    Path srcData = work.resolve("lifeboat/platform/instances").resolve(id).resolve("data");
    int port;
    try (Connection c = connect(platform.findInstance(id).orElseThrow().endpoint().port(), "bench")) {
      String lifeboatArchive = one(c, "show archive_command");
      String chain = lifeboatArchive
          + (pgbackrest == null ? "" : " && " + pgbackrest + " --config=" + pgbrConf + " --stanza=" + stanza
              + " archive-push %p")
          + " && (test -f " + manualWal + "/%f || cp %p " + manualWal + "/%f)";
      exec(c, "alter system set archive_command = " + literal(chain));
      exec(c, "alter system set unix_socket_directories = " + literal(sock.toString()));
      exec(c, "alter system set max_wal_size = '4GB'");
      // no autovacuum of the source's 700 MB of updates while the restores are timed: it would slow
      // whichever method runs first (the restored copies inherit the setting, all alike)
      exec(c, "alter system set autovacuum = off");
    }
    platform.stop(id);
    port = platform.createPrimary(id, "bench").endpoint().port();
    if (pgbackrest != null) {
      Files.writeString(pgbrConf, """
          [global]
          repo1-path=%s/repo
          lock-path=%s/lock
          log-path=%s/log
          spool-path=%s/spool
          log-level-console=warn
          log-level-file=off
          compress-type=zst
          process-max=2
          archive-async=y
          start-fast=y
          repo1-retention-full=%d

          [%s]
          pg1-path=%s
          pg1-port=%d
          pg1-socket-path=%s
          """.formatted(pgbrDir, pgbrDir, pgbrDir, pgbrDir, reps + 1, stanza, srcData, port, sock));
      own(pgbrConf);
      check(asPg(List.of(pgbackrest, "--config=" + pgbrConf, "--stanza=" + stanza, "stanza-create")),
          Duration.ofMinutes(2));
    }

    long t = System.nanoTime();
    check(asPg(List.of(pgBin.resolve("pgbench").toString(), "-i", "-s", Integer.toString(scale), "-q",
        "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", PG_USER, "bench")), Duration.ofMinutes(20));
    long rows;
    long dbBytes;
    try (Connection c = connect(port, "bench")) {
      exec(c, "create table bench_marker (id bigserial primary key, note text not null,"
          + " at timestamptz not null default clock_timestamp())");
      exec(c, "insert into bench_marker (note) values ('loaded')");
      exec(c, "checkpoint");
      rows = Long.parseLong(one(c, "select count(*) from pgbench_accounts"));
      dbBytes = Long.parseLong(one(c, "select pg_database_size('bench')"));
    }
    System.out.printf("loaded %,d rows (database %d MB) in %.1f s%n", rows, dbBytes >> 20, secs(t));
    awaitArchived(port);

    // snapshots, interleaved per repetition
    Map<String, List<Double>> snapTime = new LinkedHashMap<>();
    Map<String, List<Double>> snapSize = new LinkedHashMap<>();
    Path manualBackup = null;
    for (int r = 1; r <= reps; r++) {
      t = System.nanoTime();
      SnapshotInfo snap = platform.createSnapshot(id, id + "-r" + r, Map.of("bench", "pitr"), null);
      add(snapTime, "lifeboat", secs(t));
      add(snapSize, "lifeboat", (double) snap.bytes());

      Path dir = scaleDir.resolve("basebackup-r" + r);
      own(scaleDir);
      t = System.nanoTime();
      check(asPg(List.of(pgBin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
          "-U", PG_USER, "-D", dir.toString(), "-Ft", "-X", "stream", "-c", "fast")), Duration.ofMinutes(30));
      add(snapTime, "manual", secs(t));
      add(snapSize, "manual", (double) du(dir));

      // the snapshot baseline the issue names: tar with server-side zstd, the same level and workers
      // Lifeboat asks for (timed and sized only; the manual restore uses the uncompressed tar above)
      Path zdir = scaleDir.resolve("basebackup-zstd-r" + r);
      t = System.nanoTime();
      check(asPg(List.of(pgBin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
          "-U", PG_USER, "-D", zdir.toString(), "-Ft", "-X", "stream", "-c", "fast",
          "--compress=server-zstd:level=1,workers=2")), Duration.ofMinutes(30));
      add(snapTime, "pg_basebackup-zstd", secs(t));
      add(snapSize, "pg_basebackup-zstd", (double) du(zdir));
      deleteTree(zdir);
      if (manualBackup != null) {
        deleteTree(manualBackup);
      }
      manualBackup = dir;

      if (pgbackrest != null) {
        t = System.nanoTime();
        check(asPg(List.of(pgbackrest, "--config=" + pgbrConf, "--stanza=" + stanza, "--type=full", "backup")),
            Duration.ofMinutes(30));
        add(snapTime, "pgbackrest", secs(t));
        add(snapSize, "pgbackrest", (double) newestPgbrBackupBytes(pgbrDir.resolve("repo/backup").resolve(stanza)));
      }
      System.out.printf("snapshot rep %d: %s%n", r, lastOf(snapTime));
    }

    // WAL after the snapshots, a target near its end, and the state the source had at the target
    long walTarget = walMbPerScale * scale << 20;
    Expected expected;
    Instant target;
    long walBytes;
    t = System.nanoTime();
    try (Connection c = connect(port, "bench")) {
      String startLsn = one(c, "select pg_current_wal_lsn()");
      long chunk = Math.max(10_000, rows / 100);
      long next = 1;
      next = updateUntil(c, startLsn, walTarget * 9 / 10, next, chunk, rows);
      exec(c, "insert into bench_marker (note) values ('last before target')");
      expected = Expected.read(c);
      Thread.sleep(200);
      target = Instant.parse(one(c, "select to_char(clock_timestamp() at time zone 'UTC',"
          + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
      Thread.sleep(200);
      exec(c, "insert into bench_marker (note) values ('first after target')");
      updateUntil(c, startLsn, walTarget, next, chunk, rows);
      exec(c, "insert into bench_marker (note) values ('end')");
      walBytes = Long.parseLong(one(c, "select pg_wal_lsn_diff(pg_current_wal_lsn(), '" + startLsn + "')"));
    }
    System.out.printf("wrote %d MB of WAL after the snapshot in %.1f s; target %s; expected at target: %s%n",
        walBytes >> 20, secs(t), target, expected);
    t = System.nanoTime();
    awaitArchived(port);
    System.out.printf("archived (Lifeboat zstd, pgBackRest, cp) in %.1f s more%n", secs(t));
    // the source's own write-back of those updates (its next timed checkpoint) would otherwise land
    // on whichever restore runs first; the source stays up, idle, for Lifeboat's restore to read
    try (Connection c = connect(port, "bench")) {
      exec(c, "checkpoint");
    }

    // restores, interleaved per repetition
    Map<String, List<Double>> restoreTime = new LinkedHashMap<>();
    phaseTimes = new LinkedHashMap<>();
    Map<String, List<Double>> steps = new LinkedHashMap<>();
    List<Double> overhead = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    List<Long> devRss = new ArrayList<>();
    List<String> order = new ArrayList<>(List.of("lifeboat", "manual"));
    if (pgbackrest != null) {
      order.add("pgbackrest");
    }
    // one untimed round first: the first restore after the snapshots and the WAL would otherwise find
    // neither warm code in the worker nor memory freed by a restore before it (on this VM, memory the
    // guest has not touched lately costs about 2.5 us a page to write into: a second per GB), and
    // whichever method comes first would pay for that alone
    Map<String, List<Double>> warmUpTime = new LinkedHashMap<>();
    for (int r = 0; r <= reps; r++) {
      boolean warmUp = r == 0;
      Map<String, List<Double>> times = warmUp ? warmUpTime : restoreTime;
      LifeboatRestore lb = null;
      // each repetition starts with another method, and each method with nothing left to write back
      // (the WAL just written, the restore before): whoever goes first does not pay for the others
      for (String method : order) {
        settle();
        switch (method) {
          case "lifeboat" -> {
            lb = restoreLifeboat(id, target, expected);
            add(times, "lifeboat", lb.seconds);
            if (!warmUp) {
              lb.stepMs.forEach((k, v) -> add(steps, k, v / 1000.0));
              overhead.add(lb.seconds - (lb.stepMs.getOrDefault("restore", 0L)
                  + lb.stepMs.getOrDefault("verify", 0L)) / 1000.0);
              rss.add(lb.peakRssKb);
              devRss.add(lb.devPeakRssKb);
            }
          }
          case "manual" -> add(times, "manual", restoreManual(scaleDir, manualBackup, manualWal, target, expected));
          default -> add(times, "pgbackrest", restorePgbackrest(scaleDir, pgbrConf, stanza, target, expected));
        }
      }
      if (warmUp) {
        System.out.printf("restore warm-up, not counted: %s (lifeboat steps ms %s)%n", lastOf(times), lb.stepMs);
        phaseTimes = new LinkedHashMap<>();
        continue;
      }
      System.out.printf("restore rep %d (%s first): %s (lifeboat steps ms %s)%n", r, order.get(0),
          lastOf(restoreTime), lb.stepMs);
      Collections.rotate(order, -1);
    }

    // report
    System.out.printf("%n-- scale %d: %,d rows, database %d MB, %d MB WAL replayed to the target; medians of %d --%n",
        scale, rows, dbBytes >> 20, walBytes >> 20, reps);
    System.out.println(loadLine("after the restores"));
    System.out.printf("%-12s %12s %12s %12s  %s%n", "method", "snapshot s", "size MB", "restore s", "checked");
    System.out.printf("%-12s %12.2f %12.0f %12s  %s%n", "pg_basebackup-zstd", median(snapTime.get("pg_basebackup-zstd")),
        median(snapSize.get("pg_basebackup-zstd")) / (1 << 20), "-", "(-Ft, server-zstd level 1, 2 workers; not restored)");
    for (String m : List.of("lifeboat", "manual", "pgbackrest")) {
      if (!restoreTime.containsKey(m)) {
        System.out.printf("%-12s %12s %12s %12s  %s%n", m, "-", "-", "-", "pgbackrest not installed");
        continue;
      }
      System.out.printf("%-12s %12.2f %12.0f %12.2f  rows=%d sum=%d last=%d ok%n", m, median(snapTime.get(m)),
          median(snapSize.get(m)) / (1 << 20), median(restoreTime.get(m)), expected.rows, expected.balance, expected.lastId);
    }
    StringBuilder stepLine = new StringBuilder("lifeboat steps (median s):");
    steps.forEach((k, v) -> stepLine.append(String.format(Locale.ROOT, " %s=%.2f", k, median(v))));
    System.out.println(stepLine);
    for (String m : List.of("lifeboat", "manual", "pgbackrest")) {
      StringBuilder phaseLine = new StringBuilder();
      phaseTimes.forEach((k, v) -> {
        if (k.startsWith(m + " ")) {
          phaseLine.append(String.format(Locale.ROOT, " %s=%.2f", k.substring(m.length() + 1), median(v)));
        }
      });
      if (phaseLine.length() > 0) {
        System.out.printf("%-12s server log phases (median s):%s%n", m, phaseLine);
      }
    }
    double oh = median(overhead);
    System.out.printf("orchestration overhead (request->hold seen, minus restore and verify steps): %.2f s%n", oh);
    long peak = rss.stream().mapToLong(Long::longValue).max().orElse(0);
    System.out.printf("worker peak RSS during a restore: %d MB (VmRSS of pid %d, the `lifeboat worker` JVM; sampled"
        + " every %d ms); the `lifeboat dev` JVM (API + embedded Temporal, no worker): %d MB%n", peak >> 10, workerPid,
        READY_POLL.toMillis(), devRss.stream().mapToLong(Long::longValue).max().orElse(0) >> 10);
    String pitr = String.format(Locale.ROOT, "s%d pitr %s lifeboat/manual=%.2f", scale,
        restoreTime.containsKey("pgbackrest") ? String.format(Locale.ROOT, "lifeboat/pgbackrest=%.2f",
            median(restoreTime.get("lifeboat")) / median(restoreTime.get("pgbackrest"))) : "lifeboat/pgbackrest=n/a",
        median(restoreTime.get("lifeboat")) / median(restoreTime.get("manual")));
    String snapLine = String.format(Locale.ROOT, "s%d snapshot lifeboat/pg_basebackup=%.2f size %s", scale,
        median(snapTime.get("lifeboat")) / median(snapTime.get("pg_basebackup-zstd")),
        snapSize.containsKey("pgbackrest") ? String.format(Locale.ROOT, "lifeboat/pgbackrest=%.2f",
            median(snapSize.get("lifeboat")) / median(snapSize.get("pgbackrest"))) : "lifeboat/pgbackrest=n/a");
    String ohLine = String.format(Locale.ROOT, "s%d orchestration overhead %.2f s, worker peak RSS %d MB", scale, oh,
        peak >> 10);
    System.out.println(pitr);
    System.out.println(snapLine);
    // the first restore of each method at this scale: for Lifeboat the cold one (code not yet compiled
    // in the worker), which the medians leave out
    StringBuilder first = new StringBuilder(String.format(Locale.ROOT,
        "s%d first restores (warm-up round, not in the medians):", scale));
    warmUpTime.forEach((m, v) -> first.append(String.format(Locale.ROOT, " %s %.2f s", m, v.get(0))));
    System.out.println(first);
    summary.add(pitr);
    summary.add(snapLine);
    summary.add(ohLine);
    summary.add(first.toString());

    // clean up this scale: the source, its archive and snapshots, the other methods' backups
    platform.stop(id);
    deleteTree(work.resolve("lifeboat/platform/instances").resolve(id));
    deleteTree(work.resolve("lifeboat/platform/regions/local-1/wal").resolve(id));
    for (int r = 1; r <= reps; r++) {
      deleteTree(work.resolve("lifeboat/platform/regions/local-1/snapshots").resolve(id + "-r" + r));
    }
    deleteTree(scaleDir);
  }

  long updateUntil(Connection c, String startLsn, long walBytes, long next, long chunk, long rows) throws SQLException {
    while (Long.parseLong(one(c, "select pg_wal_lsn_diff(pg_current_wal_lsn(), '" + startLsn + "')")) < walBytes) {
      long to = next + chunk - 1;
      c.setAutoCommit(false);
      exec(c, "update pgbench_accounts set abalance = abalance + 1 where aid between " + next + " and " + to);
      exec(c, "insert into bench_marker (note) values ('update " + next + "-" + to + "')");
      c.commit();
      c.setAutoCommit(true);
      next = to + 1 > rows ? 1 : to + 1;
    }
    return next;
  }

  /** Writes back every dirty page of the machine (sync), untimed, before a timed restore. */
  static void settle() throws Exception {
    Process p = new ProcessBuilder("sync").inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("sync did not finish in 5 minutes");
    }
  }

  // ---- Lifeboat ---------------------------------------------------------------------------

  record LifeboatRestore(double seconds, Map<String, Long> stepMs, long peakRssKb, long devPeakRssKb) {}

  LifeboatRestore restoreLifeboat(String source, Instant target, Expected expected) throws Exception {
    String body = JSON.writeValueAsString(Map.of("instance", source, "targetTime", target.toString(), "ttl", "PT1H",
        "reason", "pitr benchmark"));
    long peak = 0;
    long devPeak = 0;
    long t = System.nanoTime();
    JsonNode started = http("POST", "/v1/restores", body, 202);
    String runId = started.get("runId").asText();
    JsonNode run;
    while (true) {
      peak = Math.max(peak, rssKb(workerPid));
      devPeak = Math.max(devPeak, rssKb(devPid));
      run = http("GET", "/v1/runs/" + runId, null, 200);
      String phase = run.path("phase").asText();
      if ("hold".equals(run.path("step").asText()) && run.hasNonNull("endpoint")) {
        break;
      }
      if (phase.equals("failed") || phase.equals("cancelled") || phase.equals("succeeded")) {
        throw new IllegalStateException("Lifeboat restore " + runId + " ended " + phase + ": " + run);
      }
      if (secs(t) > 3600) {
        throw new IllegalStateException("Lifeboat restore " + runId + " did not finish within an hour");
      }
      Thread.sleep(READY_POLL.toMillis());
    }
    double seconds = secs(t);
    Map<String, Long> stepMs = new LinkedHashMap<>();
    for (JsonNode s : run.get("steps")) {
      if (s.hasNonNull("durationMs")) {
        stepMs.put(s.get("name").asText(), s.get("durationMs").asLong());
      }
    }
    Path log = newestLifeboatRestoreLog();
    recordPhases("lifeboat", log == null ? Map.of() : serverPhases(log), stepMs.getOrDefault("restore", 0L) / 1000.0);
    expected.check("lifeboat", connect(run.at("/endpoint/port").asInt(), run.at("/endpoint/database").asText()));
    http("POST", "/v1/runs/" + runId + "/release", "{\"reason\": \"benchmark done\"}", 200);
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!"succeeded".equals(http("GET", "/v1/runs/" + runId, null, 200).path("phase").asText())) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("run " + runId + " was not torn down within 5 minutes");
      }
      Thread.sleep(100);
    }
    return new LifeboatRestore(seconds, stepMs, peak, devPeak);
  }


  // ---- server log phases ------------------------------------------------------------------

  static final java.util.regex.Pattern LOG_TIME =
      java.util.regex.Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3})");

  /**
   * Where a restored server spent its time, from its log (the last start in it): start-up until
   * redo starts, redo (replaying WAL to the target), and the end of recovery until it accepts
   * read-write connections (end-of-recovery checkpoint or record, timeline switch). Seconds.
   */
  static Map<String, Double> serverPhases(Path log) {
    Map<String, Double> phases = new LinkedHashMap<>();
    if (keepLogs != null && log != null && Files.exists(log)) {
      try {
        Files.createDirectories(keepLogs);
        Files.copy(log, keepLogs.resolve(log.getParent().getFileName() + "-" + log.getFileName() + "-"
            + System.currentTimeMillis()));
      } catch (IOException e) {
        System.out.println("cannot keep " + log + ": " + e);
      }
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      return phases;
    }
    int from = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("starting PostgreSQL")) {
        from = i;
      }
    }
    Long start = null, redoStart = null, redoDone = null, ready = null;
    for (String line : lines.subList(from, lines.size())) {
      Long at = logMillis(line);
      if (at == null) {
        continue;
      }
      if (start == null) {
        start = at;
      }
      if (redoStart == null && line.contains("redo starts at")) {
        redoStart = at;
      } else if (redoDone == null && line.contains("redo done at")) {
        redoDone = at;
      } else if (ready == null && line.contains("database system is ready to accept connections")) {
        ready = at;
      }
    }
    if (start != null && redoStart != null) {
      phases.put("startup", (redoStart - start) / 1000.0);
    }
    if (redoStart != null && redoDone != null) {
      phases.put("redo", (redoDone - redoStart) / 1000.0);
    }
    if (redoDone != null && ready != null) {
      phases.put("end-of-recovery", (ready - redoDone) / 1000.0);
    }
    return phases;
  }

  /** "other": the restore's time outside the server's own phases (lay-down, configuration, start, noticing). */
  void recordPhases(String method, Map<String, Double> phases, double restoreSeconds) {
    double server = 0;
    for (Map.Entry<String, Double> e : phases.entrySet()) {
      add(phaseTimes, method + " " + e.getKey(), e.getValue());
      server += e.getValue();
    }
    if (!phases.isEmpty()) {
      add(phaseTimes, method + " other", restoreSeconds - server);
    }
  }

  static Long logMillis(String line) {
    java.util.regex.Matcher m = LOG_TIME.matcher(line);
    if (!m.find()) {
      return null;
    }
    return java.time.LocalDateTime.parse(m.group(1).replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** The server log of the newest Lifeboat PITR instance (it is deleted at teardown). */
  Path newestLifeboatRestoreLog() throws IOException {
    try (Stream<Path> s = Files.list(work.resolve("lifeboat/platform/instances"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("lb-pitr-"))
          .max(java.util.Comparator.comparingLong(p -> p.toFile().lastModified()))
          .map(p -> p.resolve("postgres.log")).orElse(null);
    }
  }

  // ---- manual: pg_basebackup tar + cp archive ---------------------------------------------

  double restoreManual(Path scaleDir, Path backup, Path walDir, Instant target, Expected expected) throws Exception {
    Path data = scaleDir.resolve("manual-restore");
    int port = freePort();
    long t = System.nanoTime();
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    own(data);
    check(asPg(List.of("tar", "-xf", backup.resolve("base.tar").toString(), "-C", data.toString())),
        Duration.ofMinutes(30));
    check(asPg(List.of("tar", "-xf", backup.resolve("pg_wal.tar").toString(), "-C", data.resolve("pg_wal").toString())),
        Duration.ofMinutes(30));
    recoverySettings(data, port, "cp " + walDir + "/%f %p", target);
    startAndAwaitPromotion(data, port);
    double seconds = secs(t);
    recordPhases(data.getFileName().toString().startsWith("manual") ? "manual" : "pgbackrest",
        serverPhases(data.getParent().resolve(data.getFileName() + ".log")), seconds);
    try (Connection c = connect(port, "bench")) {
      expected.check("manual", c);
    } finally {
      stopAndDelete(data);
    }
    return seconds;
  }

  // ---- pgBackRest -------------------------------------------------------------------------

  double restorePgbackrest(Path scaleDir, Path conf, String stanza, Instant target, Expected expected)
      throws Exception {
    Path data = scaleDir.resolve("pgbackrest-restore");
    int port = freePort();
    long t = System.nanoTime();
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    own(data);
    check(asPg(List.of(pgbackrest, "--config=" + conf, "--stanza=" + stanza, "--pg1-path=" + data, "--type=time",
        "--target=" + PG_TIME.format(target), "--target-action=promote", "restore")), Duration.ofMinutes(30));
    // restore_command comes from pgBackRest; the rest is what any copy needs (DESIGN.md, pitfall 4)
    recoverySettings(data, port, null, null);
    startAndAwaitPromotion(data, port);
    double seconds = secs(t);
    recordPhases(data.getFileName().toString().startsWith("manual") ? "manual" : "pgbackrest",
        serverPhases(data.getParent().resolve(data.getFileName() + ".log")), seconds);
    try (Connection c = connect(port, "bench")) {
      expected.check("pgbackrest", c);
    } finally {
      stopAndDelete(data);
    }
    return seconds;
  }

  /** Appends to postgresql.auto.conf (read last, later lines win); null restore command / target: keep. */
  void recoverySettings(Path data, int port, String restoreCommand, Instant target) throws Exception {
    StringBuilder s = new StringBuilder("\n# pitr benchmark\n");
    s.append("port = ").append(port).append('\n');
    s.append("listen_addresses = '127.0.0.1'\n");
    s.append("unix_socket_directories = ''\n");
    s.append("archive_mode = off\n");
    s.append("max_wal_size = '4GB'\n");
    if (restoreCommand != null) {
      s.append("restore_command = '").append(restoreCommand).append("'\n");
      s.append("recovery_target_time = '").append(PG_TIME.format(target)).append("'\n");
      s.append("recovery_target_action = 'promote'\n");
    }
    Path auto = data.resolve("postgresql.auto.conf");
    Files.writeString(auto, s.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    Path signal = data.resolve("recovery.signal");
    if (!Files.exists(signal)) {
      Files.createFile(signal);
      own(signal);
    }
  }

  void startAndAwaitPromotion(Path data, int port) throws Exception {
    check(asPg(List.of(pgBin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
        data.getParent().resolve(data.getFileName() + ".log").toString(), "-W", "start")), Duration.ofMinutes(1));
    long started = System.nanoTime();
    long until = started + TimeUnit.HOURS.toNanos(1);
    boolean seenPid = false;
    while (System.nanoTime() < until) {
      try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/bench?user=postgres"
          + "&connectTimeout=2")) {
        if ("f".equals(one(c, "select pg_is_in_recovery()"))) {
          return;
        }
      } catch (SQLException e) {
        // starting up or promoting
      }
      // pg_ctl -W returns before the postmaster writes its pid file
      boolean pidFile = Files.exists(data.resolve("postmaster.pid"));
      seenPid |= pidFile;
      if (seenPid && !pidFile || !seenPid && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(30)) {
        throw new IllegalStateException("server in " + data + " stopped during recovery: "
            + tail(data.getParent().resolve(data.getFileName() + ".log")));
      }
      Thread.sleep(READY_POLL.toMillis());
    }
    throw new IllegalStateException("server in " + data + " did not promote within an hour");
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log " + log + ")";
    }
  }

  void stopAndDelete(Path data) throws Exception {
    run(asPg(List.of(pgBin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop")),
        Duration.ofMinutes(1));
    deleteTree(data);
  }

  // ---- the expected state at the target ---------------------------------------------------

  record Expected(long rows, long balance, long lastId) {
    static Expected read(Connection c) throws SQLException {
      return new Expected(Long.parseLong(one(c, "select count(*) from pgbench_accounts")),
          Long.parseLong(one(c, "select sum(abalance) from pgbench_accounts")),
          Long.parseLong(one(c, "select max(id) from bench_marker")));
    }

    void check(String method, Connection c) throws SQLException {
      try (c) {
        Expected got = read(c);
        if (!got.equals(this)) {
          throw new IllegalStateException(method + " restored " + got + " but the source had " + this + " at the target");
        }
      }
    }

    @Override
    public String toString() {
      return "rows=" + rows + " sum(abalance)=" + balance + " last marker id=" + lastId;
    }
  }

  // ---- the Lifeboat dev process -----------------------------------------------------------

  void startDev() throws Exception {
    Path home = work.resolve("lifeboat");
    Files.createDirectories(home);
    int apiPort = freePort();
    ProcessBuilder pb = new ProcessBuilder(java("dev"));
    pb.environment().put("LIFEBOAT_HOME", home.toString());
    pb.environment().put("LIFEBOAT_API_PORT", Integer.toString(apiPort));
    temporalPort = freePort();
    pb.environment().put("TEMPORAL_PORT", Integer.toString(temporalPort));
    pb.environment().put("LIFEBOAT_DEV_WORKER", "false");
    pb.environment().put("LIFEBOAT_WORKER_PORT", Integer.toString(freePort()));
    pb.environment().put("LIFEBOAT_DEMO_WRITE_LOAD", "false");
    pb.redirectErrorStream(true).redirectOutput(work.resolve("lifeboat-dev.log").toFile());
    long t = System.nanoTime();
    dev = pb.start();
    devPid = dev.pid();
    Files.writeString(work.resolve("lifeboat-dev.pid"), Long.toString(devPid));
    api = "http://127.0.0.1:" + apiPort;
    devHome = home;
    while (true) {
      if (!dev.isAlive()) {
        throw new IllegalStateException("lifeboat dev exited; see " + work.resolve("lifeboat-dev.log"));
      }
      try {
        http("GET", "/v1/instances", null, 200);
        break;
      } catch (IOException | IllegalStateException e) {
        if (secs(t) > 300) {
          throw new IllegalStateException("lifeboat dev not ready after 300 s; see " + work.resolve("lifeboat-dev.log"));
        }
        Thread.sleep(250);
      }
    }
    System.out.printf("lifeboat dev (pid %d) ready at %s in %.1f s%n", devPid, api, secs(t));
  }

  /** The java command the ./lifeboat launcher runs: its JVM options (LIFEBOAT_JAVA_OPTS or its default). */
  List<String> java(String command) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String opts = System.getenv("LIFEBOAT_JAVA_OPTS");
    cmd.addAll(List.of((opts == null || opts.isBlank() ? JAVA_OPTS : opts).trim().split("\\s+")));
    cmd.addAll(List.of("-jar", jar.toString(), command));
    return cmd;
  }

  /** `lifeboat worker` against the dev stack's Temporal, catalog and data root, as production runs it. */
  void startWorker() throws Exception {
    int catalogPort = platform.findInstance("lifeboat-catalog").orElseThrow().endpoint().port();
    int healthPort = freePort();
    ProcessBuilder pb = new ProcessBuilder(java("worker"));
    pb.environment().put("LIFEBOAT_HOME", devHome.toString());
    pb.environment().put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
    pb.environment().put("CATALOG_URL", "jdbc:postgresql://127.0.0.1:" + catalogPort + "/lifeboat");
    pb.environment().put("CATALOG_USER", "postgres");
    pb.environment().put("CATALOG_PASSWORD", "");
    pb.environment().put("LIFEBOAT_WORKER_PORT", Integer.toString(healthPort));
    pb.redirectErrorStream(true).redirectOutput(work.resolve("lifeboat-worker.log").toFile());
    long t = System.nanoTime();
    worker = pb.start();
    workerPid = worker.pid();
    Files.writeString(work.resolve("lifeboat-worker.pid"), Long.toString(workerPid));
    HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/admin/ping"))
        .timeout(Duration.ofSeconds(5)).build();
    while (true) {
      if (!worker.isAlive()) {
        throw new IllegalStateException("lifeboat worker exited; see " + work.resolve("lifeboat-worker.log"));
      }
      try {
        if (HTTP.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (secs(t) > 300) {
        throw new IllegalStateException("lifeboat worker not ready after 300 s; see " + work.resolve("lifeboat-worker.log"));
      }
      Thread.sleep(250);
    }
    System.out.printf("lifeboat worker (pid %d, its own JVM: %s; MALLOC_ARENA_MAX=%s) ready in %.1f s; the dev JVM"
        + " runs API and embedded Temporal only (LIFEBOAT_DEV_WORKER=false)%n", workerPid,
        String.join(" ", java("worker").subList(1, java("worker").size())), System.getenv("MALLOC_ARENA_MAX"),
        secs(t));
  }

  void stopDev() {
    if (keepLogs != null) {
      for (String log : List.of("lifeboat-worker.log", "lifeboat-dev.log")) {
        try {
          Files.createDirectories(keepLogs);
          Files.copy(work.resolve(log), keepLogs.resolve(log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          System.out.println("cannot keep " + log + ": " + e);
        }
      }
    }
    if (worker != null && worker.isAlive()) {
      worker.destroy();
      try {
        if (!worker.waitFor(30, TimeUnit.SECONDS)) {
          worker.destroyForcibly();
        }
      } catch (InterruptedException e) {
        worker.destroyForcibly();
      }
    }
    if (dev != null && dev.isAlive()) {
      dev.destroy();
      try {
        if (!dev.waitFor(30, TimeUnit.SECONDS)) {
          dev.destroyForcibly();
        }
      } catch (InterruptedException e) {
        dev.destroyForcibly();
      }
    }
  }

  JsonNode http(String method, String path, String body, int expectStatus) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30));
    b.header("Authorization", "Bearer " + operatorToken());
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expectStatus) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  /** The operator's token of the dev stack, read once it has written its tokens file. */
  String operatorToken() throws IOException {
    if (token == null) {
      Path file = devHome.resolve("dev-tokens.env");
      if (!Files.exists(file)) {
        throw new IOException("lifeboat dev has not written " + file + " yet");
      }
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("export LIFEBOAT_TOKEN_OPERATOR=")) {
          token = line.substring(line.indexOf('=') + 1).strip();
        }
      }
      if (token == null) {
        throw new IllegalStateException(file + " holds no operator token");
      }
    }
    return token;
  }

  /** The machine's load: other work on the cores makes every time here longer. */
  static String loadLine(String when) {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.format("load average %s: %s %s %s (1/5/15 min), %d cores", when, f[0], f[1], f[2],
          Runtime.getRuntime().availableProcessors());
    } catch (IOException e) {
      return "load average " + when + ": unknown";
    }
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the process went away
    }
    return 0;
  }

  // ---- helpers ----------------------------------------------------------------------------

  void awaitArchived(int port) throws Exception {
    try (Connection c = connect(port, "bench")) {
      String segment = one(c, "select pg_walfile_name(pg_switch_wal())");
      long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (true) {
        String last = one(c, "select coalesce(last_archived_wal, '') from pg_stat_archiver");
        if (last.compareTo(segment) >= 0) {
          return;
        }
        if (System.nanoTime() > until) {
          throw new IllegalStateException("WAL not archived within 10 minutes: " + one(c,
              "select row(a.*)::text from pg_stat_archiver a"));
        }
        Thread.sleep(100);
      }
    }
  }

  String version() throws Exception {
    return run(List.of(pgbackrest, "version"), Duration.ofSeconds(10)).trim();
  }

  static long newestPgbrBackupBytes(Path stanzaBackups) throws IOException {
    try (Stream<Path> s = Files.list(stanzaBackups)) {
      Path newest = s.filter(p -> p.getFileName().toString().endsWith("F") && Files.isDirectory(p))
          .max(Path::compareTo).orElseThrow();
      return du(newest);
    }
  }

  static long du(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }

  static void deleteTree(Path dir) throws Exception {
    if (Files.exists(dir)) {
      run(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(5));
    }
  }

  static void own(Path p) throws Exception {
    if (ROOT) {
      run(List.of("chown", PG_USER + ":" + PG_USER, p.toString()), Duration.ofSeconds(10));
    }
  }

  static List<String> asPg(List<String> cmd) {
    if (!ROOT) {
      return cmd;
    }
    List<String> all = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", PG_USER, "--"));
    all.addAll(cmd);
    return all;
  }

  static void check(List<String> cmd, Duration timeout) throws Exception {
    run(cmd, timeout);
  }

  static String run(List<String> cmd, Duration timeout) throws Exception {
    Path out = Files.createTempFile("pitr-bench", ".out");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
          .directory(Path.of("/tmp").toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", cmd));
      }
      String text = Files.readString(out);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  static Connection connect(int port, String db) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=" + PG_USER);
  }

  static String one(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static <T> void add(Map<String, List<T>> m, String k, T v) {
    m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
  }

  static String lastOf(Map<String, List<Double>> m) {
    StringBuilder s = new StringBuilder();
    m.forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.2f s  ", k, v.get(v.size() - 1))));
    return s.toString().trim();
  }

  static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

}
