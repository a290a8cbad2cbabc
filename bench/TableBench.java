import dev.lifeboat.activities.tables.LocalExportStore;
import dev.lifeboat.activities.tables.TableExporter;
import dev.lifeboat.activities.tables.TableImporter;
import dev.lifeboat.common.model.ExportManifest;
import dev.lifeboat.common.model.ExportSpec;
import dev.lifeboat.common.model.ImportMode;
import dev.lifeboat.common.model.ImportOutcome;
import dev.lifeboat.common.model.ImportSpec;
import dev.lifeboat.common.model.SchemaDriftPolicy;
import dev.lifeboat.common.model.TableRef;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The table-copy benchmark behind {@code bench/run table}: two local clusters, {@code pgbench -i
 * -s N} on the source, and in one run on the same clusters, interleaved per repetition:
 * <ul>
 *   <li>Lifeboat's path: {@link TableExporter} into a {@link LocalExportStore}, then
 *       {@link TableImporter} in new-table mode into the target (COPY FREEZE into a table created
 *       in the same transaction, primary key after the load), in a child JVM started the way
 *       {@code ./lifeboat} starts one, whose peak RSS (VmHWM) is read at the end;</li>
 *   <li>the raw binary pipe {@code psql -c "COPY ... TO STDOUT (FORMAT binary)" | psql -c "COPY
 *       ... FROM STDIN (FORMAT binary)"} into an empty table of the same columns, then the primary
 *       key added after it (the same end state as Lifeboat's: rows and key);</li>
 *   <li>the same pipe into a table that has its primary key from the start;</li>
 *   <li>Lifeboat's two steps by hand: psql COPY into a file (synced), psql COPY from it, then the key;</li>
 *   <li>{@code pg_dump -t | psql}.</li>
 * </ul>
 * Every result is counted; the target is checkpointed before each timed step, so no method pays
 * for another's dirty buffers. Compiled by {@code bench/run} and run on the shaded jar.
 */
public final class TableBench {
  static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  static final String PG_USER = "postgres";
  static final String TABLE = "pgbench_accounts";
  /** pgbench_accounts as pgbench -i creates it, without its primary key. */
  static final String COLUMNS = "aid int not null, bid int, abalance int, filler character(84)";

  final Path work;
  final Path pgBin;
  final int scale;
  final int reps;
  int sourcePort;
  int targetPort;

  TableBench(Path work, Path pgBin, int scale, int reps) {
    this.work = work;
    this.pgBin = pgBin;
    this.scale = scale;
    this.reps = reps;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args);
      return;
    }
    Path work = null;
    Path pgBin = Path.of("/usr/lib/postgresql/15/bin");
    int scale = 50;
    int reps = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
        case "--pg-bin" -> pgBin = Path.of(args[++i]);
        case "--jar" -> i++; // the classpath says it already
        case "--scale" -> scale = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (work == null) {
      throw new IllegalArgumentException("--work is required");
    }
    int rc = 0;
    try {
      new TableBench(work, pgBin, scale, reps).run();
    } catch (Exception e) {
      System.out.println("BENCHMARK FAILED: " + e);
      e.printStackTrace(System.out);
      rc = 1;
    }
    System.exit(rc);
  }

  void run() throws Exception {
    long t0 = System.nanoTime();
    System.out.printf("table benchmark: pgbench scale %d, %d repetitions, 2 local PostgreSQL clusters (%s), %d cores,"
        + " load average %s%n", scale, reps, version(), Runtime.getRuntime().availableProcessors(), loadAverage());
    sourcePort = cluster("source");
    targetPort = cluster("target");
    long t = System.nanoTime();
    check(asPg(List.of(pgBin.resolve("pgbench").toString(), "-i", "-s", Integer.toString(scale), "-q", "-h", "127.0.0.1",
        "-p", Integer.toString(sourcePort), "-U", PG_USER, "bench")), Duration.ofMinutes(30));
    long rows;
    long tableMb;
    try (Connection c = connect(sourcePort)) {
      exec(c, "vacuum analyze " + TABLE);
      exec(c, "checkpoint");
      rows = Long.parseLong(one(c, "select count(*) from " + TABLE));
      tableMb = Long.parseLong(one(c, "select pg_table_size('" + TABLE + "')")) >> 20;
    }
    System.out.printf("source: %,d rows of %s (%d MB) loaded in %.1f s%n", rows, TABLE, tableMb, secs(t));

    Map<String, List<Double>> times = new LinkedHashMap<>();
    List<Long> rss = new ArrayList<>();
    long exportBytes = 0;
    for (int r = 1; r <= reps; r++) {
      Lifeboat lb = lifeboat(r, rows);
      add(times, "lifeboat", lb.export + lb.importSeconds);
      add(times, "lifeboat export", lb.export);
      add(times, "lifeboat import", lb.importSeconds);
      rss.add(lb.vmHwmKb);
      exportBytes = lb.bytes;

      double[] raw = rawPipe(rows);
      add(times, "raw-pipe", raw[0]);
      add(times, "raw-pipe pk", raw[1]);
      add(times, "raw-pipe+pk", raw[0] + raw[1]);
      add(times, "raw-pipe into pk", rawPipeIntoKeyedTable(rows));
      double[] twoStep = rawTwoStep(rows);
      add(times, "raw two-step", twoStep[0]);
      add(times, "raw two-step export", twoStep[1]);
      add(times, "pg_dump|psql", pgDump(rows));
      System.out.printf(Locale.ROOT, "rep %d: lifeboat %.2f s (export %.2f + import %.2f; JVM warm-up before it %.2f),"
          + " raw-pipe %.2f s (+ primary key %.2f), raw-pipe into keyed table %.2f s, raw two-step %.2f s (export %.2f),"
          + " pg_dump|psql %.2f s, lifeboat VmHWM %d MB, load average %s%n", r, lb.export + lb.importSeconds, lb.export,
          lb.importSeconds, lb.warmup, raw[0], raw[1], last(times, "raw-pipe into pk"), last(times, "raw two-step"),
          last(times, "raw two-step export"), last(times, "pg_dump|psql"), lb.vmHwmKb >> 10, loadAverage());
    }

    System.out.printf("%n-- %,d rows, table %d MB, export object %d MB; medians of %d --%n", rows, tableMb,
        exportBytes >> 20, reps);
    System.out.printf("%-34s %9s %12s%n", "method", "seconds", "rows/s");
    line("lifeboat (export + import)", median(times.get("lifeboat")), rows);
    line("  export (binary COPY -> store)", median(times.get("lifeboat export")), rows);
    line("  import (COPY FREEZE, then key)", median(times.get("lifeboat import")), rows);
    line("raw pipe, no key", median(times.get("raw-pipe")), rows);
    line("raw pipe, key added after", median(times.get("raw-pipe+pk")), rows);
    line("raw pipe into a keyed table", median(times.get("raw-pipe into pk")), rows);
    line("raw two-step: file, then load, key", median(times.get("raw two-step")), rows);
    line("  psql COPY TO a file + sync", median(times.get("raw two-step export")), rows);
    line("pg_dump -t | psql", median(times.get("pg_dump|psql")), rows);
    long peak = rss.stream().mapToLong(Long::longValue).max().orElse(0);
    double lb = median(times.get("lifeboat"));
    double bestSameEnd = Math.min(median(times.get("raw-pipe+pk")), median(times.get("raw-pipe into pk")));
    System.out.printf("lifeboat peak RSS: %d MB (VmHWM of the child JVM that ran the export and the import;"
        + " -XX:+UseSerialGC, default heap limit); its times are on a warm JVM (pgbench_branches copied first)%n",
        peak >> 10);
    System.out.printf("raw pipe with its key: the faster of 'key added after' and 'into a keyed table', the same end"
        + " state as Lifeboat's new table%n");
    System.out.printf("total benchmark time %.0f s%n", (System.nanoTime() - t0) / 1e9);
    System.out.printf(Locale.ROOT, "table lifeboat/raw-pipe=%.2f lifeboat/raw-pipe-with-key=%.2f lifeboat/raw-two-step=%.2f"
        + " lifeboat/pg_dump=%.2f rss=%dMB%n", lb / median(times.get("raw-pipe")), lb / bestSameEnd,
        lb / median(times.get("raw two-step")), lb / median(times.get("pg_dump|psql")), peak >> 10);
  }

  // ---- the methods ----------------------------------------------------------------------

  record Lifeboat(double export, double importSeconds, long bytes, long vmHwmKb, double warmup) {}

  Lifeboat lifeboat(int rep, long rows) throws Exception {
    Path store = work.resolve("exports");
    String suffix = "bench" + rep;
    checkpoint();
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
        "-Xss512k", "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
        "-cp", System.getProperty("java.class.path"), "TableBench", "child", Integer.toString(sourcePort),
        Integer.toString(targetPort), store.toString(), "bench-r" + rep, suffix);
    String out = run(cmd, Duration.ofMinutes(30));
    Map<String, String> result = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        for (String kv : line.substring(7).trim().split(" ")) {
          String[] p = kv.split("=", 2);
          result.put(p[0], p[1]);
        }
      }
    }
    if (result.isEmpty()) {
      throw new IllegalStateException("the Lifeboat child printed no result:\n" + out);
    }
    String restored = TABLE + "_restored_" + suffix;
    expectRows("lifeboat", restored, rows);
    try (Connection c = connect(targetPort)) {
      if (!"PRIMARY KEY (aid)".equals(one(c, "select pg_get_constraintdef(oid) from pg_constraint where conrelid = '"
          + restored + "'::regclass and contype = 'p'"))) {
        throw new IllegalStateException("lifeboat's table has no primary key");
      }
      exec(c, "drop table " + restored);
    }
    deleteTree(store);
    return new Lifeboat(Double.parseDouble(result.get("export")), Double.parseDouble(result.get("import")),
        Long.parseLong(result.get("bytes")), Long.parseLong(result.get("vmhwm_kb")),
        Double.parseDouble(result.get("warmup")));
  }

  /** The pipe into a table of the same columns without any index, then its primary key: {seconds, key seconds}. */
  double[] rawPipe(long rows) throws Exception {
    try (Connection c = connect(targetPort)) {
      exec(c, "create table raw_accounts (" + COLUMNS + ")");
    }
    checkpoint();
    double pipe = pipe("raw_accounts");
    double key;
    try (Connection c = connect(targetPort)) {
      long t = System.nanoTime();
      exec(c, "alter table raw_accounts add primary key (aid)");
      key = secs(t);
    }
    expectRows("raw pipe", "raw_accounts", rows);
    try (Connection c = connect(targetPort)) {
      exec(c, "drop table raw_accounts");
    }
    return new double[] {pipe, key};
  }

  double rawPipeIntoKeyedTable(long rows) throws Exception {
    try (Connection c = connect(targetPort)) {
      exec(c, "create table raw_keyed (" + COLUMNS + ", primary key (aid))");
    }
    checkpoint();
    double seconds = pipe("raw_keyed");
    expectRows("raw pipe into a keyed table", "raw_keyed", rows);
    try (Connection c = connect(targetPort)) {
      exec(c, "drop table raw_keyed");
    }
    return seconds;
  }

  double pipe(String into) throws Exception {
    String psql = pgBin.resolve("psql") + " -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U " + PG_USER + " -d bench";
    long t = System.nanoTime();
    check(List.of("bash", "-o", "pipefail", "-c", psql + " -p " + sourcePort + " -c 'COPY " + TABLE
        + " TO STDOUT (FORMAT binary)' | " + psql + " -p " + targetPort + " -c 'COPY " + into
        + " FROM STDIN (FORMAT binary)'"), Duration.ofMinutes(30));
    return secs(t);
  }

  /**
   * Lifeboat's path done by hand: psql COPY to a file (fsynced, as the export store does), then
   * psql COPY from it into an empty table, then its primary key: {seconds, of which the export}.
   */
  double[] rawTwoStep(long rows) throws Exception {
    Path file = work.resolve("two-step.pgcopy");
    String psql = pgBin.resolve("psql") + " -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U " + PG_USER + " -d bench";
    try (Connection c = connect(targetPort)) {
      exec(c, "create table two_step (" + COLUMNS + ")");
    }
    checkpoint();
    long t = System.nanoTime();
    check(List.of("bash", "-o", "pipefail", "-c", psql + " -p " + sourcePort + " -c 'COPY " + TABLE
        + " TO STDOUT (FORMAT binary)' > " + file + " && sync " + file), Duration.ofMinutes(30));
    double export = secs(t);
    check(List.of("bash", "-c", psql + " -p " + targetPort + " -c 'COPY two_step FROM STDIN (FORMAT binary)' < " + file),
        Duration.ofMinutes(30));
    try (Connection c = connect(targetPort)) {
      exec(c, "alter table two_step add primary key (aid)");
    }
    double seconds = secs(t);
    expectRows("raw two-step", "two_step", rows);
    try (Connection c = connect(targetPort)) {
      exec(c, "drop table two_step");
    }
    Files.delete(file);
    return new double[] {seconds, export};
  }

  double pgDump(long rows) throws Exception {
    checkpoint();
    long t = System.nanoTime();
    check(List.of("bash", "-o", "pipefail", "-c", pgBin.resolve("pg_dump") + " -h 127.0.0.1 -p " + sourcePort + " -U "
        + PG_USER + " -t public." + TABLE + " bench | " + pgBin.resolve("psql") + " -X -q -v ON_ERROR_STOP=1"
        + " -h 127.0.0.1 -p " + targetPort + " -U " + PG_USER + " -d bench >/dev/null"), Duration.ofMinutes(30));
    double seconds = secs(t);
    expectRows("pg_dump", TABLE, rows);
    try (Connection c = connect(targetPort)) {
      exec(c, "drop table " + TABLE);
    }
    return seconds;
  }

  // ---- the child JVM: Lifeboat's export and import, nothing else ---------------------------

  static void child(String[] args) throws Exception {
    int sourcePort = Integer.parseInt(args[1]);
    int targetPort = Integer.parseInt(args[2]);
    LocalExportStore store = new LocalExportStore(Path.of(args[3]));
    String runId = args[4];
    String suffix = args[5];
    // what a heartbeat costs, roughly: keep the newest report
    String[] lastProgress = new String[1];
    ProgressListener progress = (detail, percent, bytes) -> lastProgress[0] = detail;
    // a worker has run activities before: load the classes (driver, Jackson, logging) and warm the
    // copy loops on the small pgbench_branches first, and time the real table on a warm JVM
    long w = System.nanoTime();
    ExportManifest warm = new TableExporter(store, Clock.systemUTC()).export(dataSource(sourcePort),
        new ExportSpec(runId + "-warmup", "bench-source", "bench-source", Instant.now(),
            List.of(new TableRef("public", "pgbench_branches")), Instant.now()), progress);
    new TableImporter(store).importTable(dataSource(targetPort), new ImportSpec(runId + "-warmup", store.uri(),
        warm.tables().get(0), "bench-target", ImportMode.NEW_TABLE, SchemaDriftPolicy.REFUSE, suffix), progress);
    try (Connection c = dataSource(targetPort).getConnection()) {
      exec(c, "drop table pgbench_branches_restored_" + suffix);
      exec(c, "checkpoint");
    }
    double warmup = (System.nanoTime() - w) / 1e9;
    long t0 = System.nanoTime();
    ExportManifest m = new TableExporter(store, Clock.systemUTC()).export(dataSource(sourcePort),
        new ExportSpec(runId, "bench-source", "bench-source", Instant.now(), List.of(new TableRef("public", TABLE)),
            Instant.now().plus(Duration.ofHours(1))), progress);
    long t1 = System.nanoTime();
    ImportOutcome o = new TableImporter(store).importTable(dataSource(targetPort), new ImportSpec(runId, store.uri(),
        m.tables().get(0), "bench-target", ImportMode.NEW_TABLE, SchemaDriftPolicy.REFUSE, suffix), progress);
    long t2 = System.nanoTime();
    System.out.printf(Locale.ROOT, "RESULT export=%.3f import=%.3f rows=%d bytes=%d vmhwm_kb=%d warmup=%.3f%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, o.rowsWritten(), m.tables().get(0).bytes(), vmHwmKb(), warmup);
  }

  static PGSimpleDataSource dataSource(int port) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("bench");
    ds.setUser(PG_USER);
    ds.setApplicationName("lifeboat-bench");
    return ds;
  }

  static long vmHwmKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  // ---- clusters -----------------------------------------------------------------------------

  /** initdb + start on a free loopback port, with a database bench; the same settings for both. */
  int cluster(String name) throws Exception {
    Path dir = work.resolve(name);
    Path data = dir.resolve("data");
    Files.createDirectories(dir);
    own(dir);
    int port = freePort();
    check(asPg(List.of(pgBin.resolve("initdb").toString(), "-D", data.toString(), "-U", PG_USER, "-A", "trust",
        "--no-instructions", "-E", "UTF8", "--locale=C.UTF-8")), Duration.ofMinutes(2));
    Files.writeString(data.resolve("postgresql.auto.conf"), """
        port = %d
        listen_addresses = '127.0.0.1'
        unix_socket_directories = '%s'
        max_wal_size = '4GB'
        """.formatted(port, dir), java.nio.file.StandardOpenOption.APPEND);
    check(asPg(List.of(pgBin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log")
        .toString(), "-w", "start")), Duration.ofMinutes(1));
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + PG_USER)) {
      exec(c, "create database bench");
    }
    return port;
  }

  void checkpoint() throws SQLException {
    try (Connection c = connect(targetPort)) {
      exec(c, "checkpoint");
    }
  }

  void expectRows(String method, String table, long rows) throws SQLException {
    try (Connection c = connect(targetPort)) {
      long got = Long.parseLong(one(c, "select count(*) from " + table));
      if (got != rows) {
        throw new IllegalStateException(method + " loaded " + got + " rows; the source has " + rows);
      }
    }
  }

  /** The 1-minute load average: anything else running on the machine shows here. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  String version() throws Exception {
    return run(List.of(pgBin.resolve("postgres").toString(), "--version"), Duration.ofSeconds(10)).trim();
  }

  // ---- helpers ----------------------------------------------------------------------------

  static void line(String method, double seconds, long rows) {
    System.out.printf(Locale.ROOT, "%-34s %9.2f %,12.0f%n", method, seconds, rows / seconds);
  }

  static void add(Map<String, List<Double>> m, String k, double v) {
    m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
  }

  static double last(Map<String, List<Double>> m, String k) {
    List<Double> l = m.get(k);
    return l.get(l.size() - 1);
  }

  static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    s.sort(Double::compare);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
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
    Path out = Files.createTempFile("table-bench", ".out");
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

  static Connection connect(int port) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/bench?user=" + PG_USER);
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
}
