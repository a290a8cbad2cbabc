package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.failover.TrafficRouter;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PgBouncer (Debian's {@code /usr/sbin/pgbouncer}) in front of the local fleet, run as the
 * PostgreSQL OS user like the clusters, listening on a loopback port; applications connect to it
 * and a failover switches a database's entry to the new primary.
 *
 * <h2>Layout under {@code <dataRoot>/pgbouncer/}</h2>
 * <pre>
 * state.json      what Lifeboat routed: listen port, and per database its server and instance
 * pgbouncer.ini   written at each start; includes databases.ini in its [databases] section
 * databases.ini   the [databases] entries, rewritten atomically (temp file + rename) by a switch
 * userlist.txt    auth_file: user postgres (auth_type trust: loopback dev use only)
 * pgbouncer.pid, pgbouncer.log
 * </pre>
 *
 * <p>Transaction pooling: a switch pauses the database (transactions in flight finish, new ones
 * wait), reloads, resumes, and the next transaction of every client session, including sessions
 * held open across the switch, runs on the new server. (In session pooling PAUSE would wait for
 * every client to disconnect.) Clients therefore keep no session state between transactions, and
 * JDBC clients use {@code prepareThreshold=0} ({@link #dataSource}); pgbouncer 1.18 does not track
 * named prepared statements. The admin console ({@code dbname=pgbouncer}) is reached with psql.
 */
public final class PgBouncer implements TrafficRouter {
  private static final Logger log = LoggerFactory.getLogger(PgBouncer.class);
  static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
  static final String ADMIN_DATABASE = "pgbouncer";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}");
  /** How long PAUSE waits for transactions in flight before the switch goes ahead without them. */
  private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final int BIND_ATTEMPTS = 3;

  /** What Lifeboat configured; databases.ini is generated from it. */
  record State(int port, List<Route> routes) {
    State {
      routes = routes == null ? List.of() : List.copyOf(routes);
    }

    Optional<Route> route(String database) {
      return routes.stream().filter(r -> r.database().equals(database)).findFirst();
    }

    State with(Route route) {
      List<Route> next = new ArrayList<>(without(route.database()).routes());
      next.add(route);
      next.sort((a, b) -> a.database().compareTo(b.database()));
      return new State(port, next);
    }

    State without(String database) {
      return new State(port, routes.stream().filter(r -> !r.database().equals(database)).toList());
    }
  }

  /** One [databases] entry: the pooler's database name, the server behind it and its database. */
  record Route(String database, String host, int port, String serverDatabase, String instance) {
    boolean sameServer(Route o) {
      return host.equals(o.host) && port == o.port && serverDatabase.equals(o.serverDatabase);
    }

    String entry() {
      return database + " = host=" + host + " port=" + port + " dbname=" + serverDatabase;
    }

    /** The same server and database under another pooler name. */
    Route as(String name) {
      return new Route(name, host, port, serverDatabase, instance);
    }
  }

  private final LocalContext ctx;
  private final Path dir;
  private final AtomicInteger pauses = new AtomicInteger();

  PgBouncer(LocalContext ctx) {
    this.ctx = ctx;
    this.dir = ctx.config.dataRoot().resolve("pgbouncer");
  }

  /** Whether the pgbouncer binary this class runs is installed. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  public Path directory() {
    return dir;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /**
   * Starts PgBouncer when it is not running (on its recorded port when free), with the routes it
   * had; a routed instance that moved to another port since is followed. A running one is kept.
   */
  public synchronized void ensureRunning() {
    State state = refreshPorts(state());
    if (isRunning()) {
      if (!state.equals(state())) {
        persist(state);
        reload(state.port());
      }
      return;
    }
    start(state);
  }

  /** Stops PgBouncer (SIGTERM: immediate shutdown); a stopped one is fine. */
  public synchronized void stop() {
    Optional<ProcessHandle> process = process();
    if (process.isEmpty()) {
      return;
    }
    ProcessHandle p = process.get();
    p.destroy();
    try {
      p.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
    }
    log.info("Stopped PgBouncer (pid {})", p.pid());
  }

  public boolean isRunning() {
    return process().isPresent();
  }

  /** Where clients reach {@code database} through PgBouncer, when it runs and routes that database. */
  public Optional<Endpoint> runningEndpoint(String database) {
    State state = state();
    return isRunning() && state.route(database).isPresent() ? Optional.of(endpoint(database)) : Optional.empty();
  }

  /**
   * JDBC through PgBouncer: {@code prepareThreshold=0}, since in transaction pooling a named
   * prepared statement may be gone (on another server connection) at the next transaction.
   */
  public PGSimpleDataSource dataSource(String database) {
    PGSimpleDataSource ds = Jdbc.dataSource(listenPort(), database);
    ds.setPrepareThreshold(0);
    return ds;
  }

  // ---- TrafficRouter ------------------------------------------------------------------------

  @Override
  public synchronized List<TrafficRoute> routes() {
    if (!isRunning()) {
      return state().routes().stream().map(this::toTrafficRoute).toList();
    }
    return live(state().port()).values().stream().map(this::toTrafficRoute).toList();
  }

  @Override
  public synchronized TrafficRoute switchTo(String database, Endpoint target) {
    validate(database, target);
    // the entry keeps the database it serves on the server; only the server changes
    String serverDatabase = state().route(database).map(Route::serverDatabase)
        .orElse(target.database() == null ? database : target.database());
    Route wanted = new Route(database, target.host(), target.port(), serverDatabase,
        instanceAt(target.host(), target.port()));
    ensureRunning();
    State state = state();
    Route live = live(state.port()).get(database);
    boolean paused = live != null && isPausedLive(state.port(), database);
    if (live != null && live.sameServer(wanted) && state.route(database).map(r -> r.sameServer(wanted)).orElse(false)) {
      if (paused) {
        // an earlier attempt stopped between PAUSE and RESUME
        resume(state.port(), database);
      }
      log.info("PgBouncer database {} already points at {}:{}", database, wanted.host(), wanted.port());
      return toTrafficRoute(wanted);
    }
    state = state.with(wanted);
    persist(state);
    if (live == null) {
      // a new entry: no client can be connected to it, nothing to pause
      reload(state.port());
      log.warn("PgBouncer database {} now points at {}:{}", database, wanted.host(), wanted.port());
      return toTrafficRoute(wanted);
    }
    boolean drained = paused || pause(state.port(), database);
    try {
      reload(state.port());
      if (!drained) {
        // transactions still open on the old server: their server connections close when released
        require(admin(state.port(), "RECONNECT " + database, ADMIN_TIMEOUT), "RECONNECT");
      }
    } finally {
      resume(state.port(), database);
    }
    log.warn("PgBouncer database {} switched from {}:{} to {}:{}", database, live.host(), live.port(), wanted.host(),
        wanted.port());
    return toTrafficRoute(wanted);
  }

  /**
   * Adds a failover drill's entry: {@code like}'s line (server, port, database) under the drill's
   * name, written atomically like a switch, then RELOAD. No other entry changes; a new entry has
   * no clients, so nothing is paused.
   */
  @Override
  public synchronized TrafficRoute addRehearsalRoute(String database, String like) {
    requireRehearsalName(database, "added");
    ensureRunning();
    State state = state();
    Optional<Route> existing = state.route(database);
    if (existing.isPresent()) {
      if (!live(state.port()).containsKey(database)) {
        // an earlier attempt wrote the entry but did not reload
        reload(state.port());
      }
      log.info("PgBouncer database {} exists already (points at {}:{})", database, existing.get().host(),
          existing.get().port());
      return toTrafficRoute(existing.get());
    }
    Route source = state.route(like).orElseThrow(() -> new LifeboatException(ErrorType.INVALID_REQUEST,
        "The pooler has no database " + like + " to copy for " + database + "; its databases: "
            + state.routes().stream().map(Route::database).toList() + ". Nothing was changed.",
        details("database", database, "like", like)));
    Route route = source.as(database);
    State next = state.with(route);
    persist(next);
    reload(next.port());
    log.warn("PgBouncer database {} added, a copy of {} ({}:{})", database, like, route.host(), route.port());
    return toTrafficRoute(route);
  }

  /** Removes a failover drill's entry, then RELOAD (when PgBouncer runs); production entries are refused. */
  @Override
  public synchronized boolean removeRehearsalRoute(String database) {
    requireRehearsalName(database, "removed");
    State state = state();
    boolean running = isRunning();
    boolean present = state.route(database).isPresent() || running && live(state.port()).containsKey(database);
    if (!present) {
      return false;
    }
    State next = state.without(database);
    persist(next);
    if (running) {
      reload(next.port());
    }
    log.warn("PgBouncer database {} removed", database);
    return true;
  }

  private static void requireRehearsalName(String database, String what) {
    if (!Rehearsal.isRehearsalDatabase(database) || !DATABASE_NAME.matcher(database).matches()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Pooler database '" + database + "' is not a failover"
          + " drill's entry (<database>" + Rehearsal.POOLER_DATABASE_INFIX + "<suffix>, lower case): only those are "
          + what + " by a drill. Nothing was changed.", details("database", database));
    }
  }

  @Override
  public TrafficCheck check(String database) {
    if (!isRunning()) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer is not running", details("database", database));
    }
    try (Connection c = dataSource(database).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_is_in_recovery(),"
            + " (select system_identifier from pg_control_system())::text, inet_server_port()")) {
      rs.next();
      return new TrafficCheck(database, rs.getBoolean(1), rs.getString(2), rs.getInt(3));
    } catch (SQLException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "No server answers through PgBouncer for database "
          + database + ": " + e.getMessage(), details("database", database), e);
    }
  }

  @Override
  public Endpoint endpoint(String database) {
    return new Endpoint("127.0.0.1", listenPort(), database, Jdbc.USER);
  }

  // ---- admin console ------------------------------------------------------------------------

  /** PAUSE, waiting at most {@link #PAUSE_TIMEOUT}; false when transactions were still open. */
  private boolean pause(int port, String database) {
    pauses.incrementAndGet();
    ProcessRunner.Result r = admin(port, "PAUSE " + database, PAUSE_TIMEOUT);
    if (r.timedOut()) {
      log.warn("PAUSE {} did not finish within {}: transactions are still open on the old server; switching without"
          + " them", database, PAUSE_TIMEOUT);
      return false;
    }
    require(r, "PAUSE");
    return true;
  }

  private void resume(int port, String database) {
    ProcessRunner.Result r = admin(port, "RESUME " + database, ADMIN_TIMEOUT);
    if (!r.ok() && isPausedLive(port, database)) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer did not resume " + database + ": "
          + r.tail(3), details("database", database));
    }
  }

  /** How many PAUSE commands this object issued (tests: a switch to where it points already pauses nothing). */
  int pauses() {
    return pauses.get();
  }

  boolean isPausedLive(int port, String database) {
    return show(port, "DATABASES").stream()
        .anyMatch(row -> database.equals(row.get("name")) && "1".equals(row.get("paused")));
  }

  /** The live [databases] entries (SHOW DATABASES), without the admin console's own. */
  private Map<String, Route> live(int port) {
    Map<String, Route> routes = new LinkedHashMap<>();
    for (Map<String, String> row : show(port, "DATABASES")) {
      String name = row.get("name");
      String host = row.get("host");
      if (ADMIN_DATABASE.equals(name) || host == null || host.isEmpty() || row.get("port") == null) {
        continue;
      }
      int p = Integer.parseInt(row.get("port"));
      routes.put(name, new Route(name, host, p, row.get("database"), instanceAt(host, p)));
    }
    return routes;
  }

  private List<Map<String, String>> show(int port, String what) {
    ProcessRunner.Result r = require(admin(port, "SHOW " + what, ADMIN_TIMEOUT), "SHOW " + what);
    List<Map<String, String>> rows = new ArrayList<>();
    String[] lines = r.output().strip().split("\n");
    if (lines.length == 0 || lines[0].isBlank()) {
      return rows;
    }
    String[] header = lines[0].split("\t", -1);
    for (int i = 1; i < lines.length; i++) {
      String[] cells = lines[i].split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int j = 0; j < header.length && j < cells.length; j++) {
        row.put(header[j], cells[j]);
      }
      rows.add(row);
    }
    return rows;
  }

  private ProcessRunner.Result admin(int port, String command, Duration timeout) {
    return ctx.runner.run(List.of(ctx.binaries.tool("psql"), "-X", "-A", "-F", "\t", "-P", "footer=off",
        "-v", "ON_ERROR_STOP=1", "-d", "host=127.0.0.1 port=" + port + " dbname=" + ADMIN_DATABASE + " user="
            + Jdbc.USER + " connect_timeout=5", "-c", command), timeout);
  }

  /** Makes PgBouncer read databases.ini again. */
  private void reload(int port) {
    require(admin(port, "RELOAD", ADMIN_TIMEOUT), "RELOAD");
  }

  private ProcessRunner.Result require(ProcessRunner.Result r, String what) {
    if (!r.ok()) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer admin command " + what + " failed: "
          + r.tail(3), details("command", what));
    }
    return r;
  }

  // ---- process and files --------------------------------------------------------------------

  private void start(State initial) {
    if (!installed()) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, BINARY + " not found: the local platform runs PgBouncer"
          + " from the Debian package (apt-get install pgbouncer)", details("binary", BINARY.toString()));
    }
    ctx.osUser.createOwnedDirectory(dir, "755");
    State state = initial;
    for (int attempt = 1; ; attempt++) {
      int port = Ports.isFree(state.port()) ? state.port() : Ports.pickFree();
      state = new State(port, state.routes());
      persist(state);
      write(dir.resolve("userlist.txt"), "\"" + Jdbc.USER + "\" \"\"\n");
      write(ini(), iniText(port));
      long logOffset = logSize();
      ProcessRunner.Result r = ctx.runner.runAsPg(List.of(BINARY.toString(), "-d", ini().toString()),
          Duration.ofSeconds(30));
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (r.ok() && System.nanoTime() < deadline && !(isRunning() && Ports.isListening(port))) {
        PgCluster.sleep(Duration.ofMillis(100));
      }
      if (r.ok() && isRunning() && Ports.isListening(port)) {
        log.info("Started PgBouncer on 127.0.0.1:{} ({} databases)", port, state.routes().size());
        return;
      }
      String newLog = logSince(logOffset);
      stop();
      if (newLog.contains("Address already in use") && attempt < BIND_ATTEMPTS) {
        state = new State(Ports.pickFree(), state.routes());
        continue;
      }
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer did not start on port " + port + ": "
          + (r.ok() ? "" : r.tail(5) + "\n") + tail(newLog, 10),
          details("logFile", dir.resolve("pgbouncer.log").toString()));
    }
  }

  private String iniText(int port) {
    return """
        ;; Written by Lifeboat at each start of its PgBouncer; Lifeboat rewrites databases.ini to switch traffic.
        [databases]
        %%include %s

        [pgbouncer]
        listen_addr = 127.0.0.1
        listen_port = %d
        unix_socket_dir =
        auth_type = trust
        auth_file = %s
        admin_users = %s
        stats_users = %s
        pool_mode = transaction
        ignore_startup_parameters = extra_float_digits
        max_client_conn = 200
        default_pool_size = 20
        server_login_retry = 1
        logfile = %s
        pidfile = %s
        """.formatted(databasesIni(), port, dir.resolve("userlist.txt"), Jdbc.USER, Jdbc.USER,
        dir.resolve("pgbouncer.log"), pidFile());
  }

  /** state.json and the databases.ini generated from it (read at the next RELOAD). */
  private void persist(State state) {
    saveState(state);
    writeDatabases(state);
  }

  private void writeDatabases(State state) {
    StringBuilder text = new StringBuilder(";; [databases] of Lifeboat's PgBouncer, generated from state.json\n");
    state.routes().forEach(r -> text.append(r.entry()).append('\n'));
    write(databasesIni(), text.toString());
  }

  /** Routes to a managed instance follow it when it came back on another port (its port was taken). */
  private State refreshPorts(State state) {
    State next = state;
    for (Route r : state.routes()) {
      if (r.instance() == null) {
        continue;
      }
      Optional<InstanceRecord> instance = ctx.registry.find(r.instance())
          .filter(i -> i.role() != InstanceRole.FORMER_PRIMARY);
      if (instance.isPresent() && instance.get().port() != r.port()) {
        log.info("PgBouncer database {}: {} moved from port {} to {}", r.database(), r.instance(), r.port(),
            instance.get().port());
        next = next.with(new Route(r.database(), r.host(), instance.get().port(), r.serverDatabase(), r.instance()));
      }
    }
    return next;
  }

  private String instanceAt(String host, int port) {
    if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
      return null;
    }
    return ctx.registry.list().stream().filter(r -> r.port() == port).map(InstanceRecord::id).findFirst().orElse(null);
  }

  private TrafficRoute toTrafficRoute(Route r) {
    return new TrafficRoute(r.database(), r.host(), r.port(), r.instance());
  }

  private int listenPort() {
    int port = state().port();
    if (port == 0) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer was never started on this platform",
          details("directory", dir.toString()));
    }
    return port;
  }

  private State state() {
    Path file = dir.resolve("state.json");
    return Files.exists(file) ? LocalJson.read(file, State.class) : new State(0, List.of());
  }

  private void saveState(State state) {
    LocalJson.write(dir.resolve("state.json"), state);
  }

  private Optional<ProcessHandle> process() {
    try {
      Path pid = pidFile();
      if (!Files.exists(pid)) {
        return Optional.empty();
      }
      long value = Long.parseLong(Files.readString(pid, StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(value).filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.endsWith("pgbouncer")).orElse(true));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Path ini() {
    return dir.resolve("pgbouncer.ini");
  }

  private Path databasesIni() {
    return dir.resolve("databases.ini");
  }

  private Path pidFile() {
    return dir.resolve("pgbouncer.pid");
  }

  private long logSize() {
    try {
      Path logFile = dir.resolve("pgbouncer.log");
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private String logSince(long offset) {
    try {
      Path logFile = dir.resolve("pgbouncer.log");
      if (!Files.exists(logFile)) {
        return "";
      }
      byte[] all = Files.readAllBytes(logFile);
      int from = (int) Math.min(offset, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text, int lines) {
    List<String> all = text.strip().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Readable by the pooler's OS user, replaced atomically: a RELOAD reads the old or the new file. */
  private static void write(Path file, String content) {
    try {
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tmp, OsUser.permissions("644"));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void validate(String database, Endpoint target) {
    if (database == null || !DATABASE_NAME.matcher(database).matches() || ADMIN_DATABASE.equals(database)) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Invalid pooler database name '" + database + "'",
          details("database", database));
    }
    boolean validDatabase = target != null && (target.database() == null
        || DATABASE_NAME.matcher(target.database()).matches());
    if (!validDatabase || target.host() == null || !HOST.matcher(target.host()).matches() || target.port() <= 0
        || target.port() > 65535) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Invalid target for pooler database " + database + ": "
          + target, details("database", database));
    }
  }
}
