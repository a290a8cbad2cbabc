package dev.lifeboat.activities.local;

import static dev.lifeboat.activities.local.LocalContext.details;

import dev.lifeboat.activities.pooler.DatabasesFile;
import dev.lifeboat.activities.pooler.PgBouncerConsole;
import dev.lifeboat.activities.pooler.PoolerNames;
import dev.lifeboat.activities.pooler.TrafficProbe;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.failover.TrafficRouter;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The entry format, the atomic rewrite, the admin commands, the PAUSE/RELOAD/RESUME sequence and the
 * check are shared with {@link dev.lifeboat.activities.pooler.ExternalPgBouncer} (a PgBouncer
 * Lifeboat does not run); this class owns the process and the files it generates.
 */
public final class PgBouncer implements TrafficRouter {
  private static final Logger log = LoggerFactory.getLogger(PgBouncer.class);
  static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
  /** How long PAUSE waits for transactions in flight before the switch goes ahead without them. */
  private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(30);
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
      return DatabasesFile.Entry.of(database, host, port, serverDatabase).text();
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
    PoolerNames.validate(database, target);
    // the entry keeps the database it serves on the server; only the server changes
    String serverDatabase = state().route(database).map(Route::serverDatabase)
        .orElse(target.database() == null ? database : target.database());
    Route wanted = new Route(database, target.host(), target.port(), serverDatabase,
        instanceAt(target.host(), target.port()));
    ensureRunning();
    State state = state();
    boolean written = state.route(database).map(r -> r.sameServer(wanted)).orElse(false);
    PgBouncerConsole.Switch done = console(state.port()).switchEntry(database, wanted.host(), wanted.port(),
        serverDatabase, written, () -> persist(state.with(wanted)));
    if (!done.changed()) {
      log.info("PgBouncer database {} already points at {}:{}", database, wanted.host(), wanted.port());
    } else if (done.before() == null) {
      log.warn("PgBouncer database {} now points at {}:{}", database, wanted.host(), wanted.port());
    } else {
      log.warn("PgBouncer database {} switched from {}:{} to {}:{}", database, done.before().host(),
          done.before().port(), wanted.host(), wanted.port());
    }
    return toTrafficRoute(wanted);
  }

  /**
   * Adds a failover drill's entry: {@code like}'s line (server, port, database) under the drill's
   * name, written atomically like a switch, then RELOAD. No other entry changes; a new entry has
   * no clients, so nothing is paused.
   */
  @Override
  public synchronized TrafficRoute addRehearsalRoute(String database, String like) {
    PoolerNames.requireRehearsalName(database, "added");
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
    PoolerNames.requireRehearsalName(database, "removed");
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

  @Override
  public TrafficCheck check(String database) {
    if (!isRunning()) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer is not running", details("database", database));
    }
    return TrafficProbe.check(dataSource(database), database);
  }

  @Override
  public Endpoint endpoint(String database) {
    return new Endpoint("127.0.0.1", listenPort(), database, Jdbc.USER);
  }

  // ---- admin console ------------------------------------------------------------------------

  /** The admin console of this PgBouncer: user postgres, trusted on loopback. */
  private PgBouncerConsole console(int port) {
    return new PgBouncerConsole(ctx.runner, ctx.binaries.tool("psql"), "127.0.0.1", port, Jdbc.USER, null,
        PAUSE_TIMEOUT, pauses);
  }

  /** How many PAUSE commands this object issued (tests: a switch to where it points already pauses nothing). */
  int pauses() {
    return pauses.get();
  }

  boolean isPausedLive(int port, String database) {
    return console(port).isPaused(database);
  }

  /** The live [databases] entries (SHOW DATABASES), without the admin console's own. */
  private Map<String, Route> live(int port) {
    Map<String, Route> routes = new LinkedHashMap<>();
    console(port).databases().values().forEach(e -> routes.put(e.name(),
        new Route(e.name(), e.host(), e.port(), e.database(), instanceAt(e.host(), e.port()))));
    return routes;
  }

  /** Makes PgBouncer read databases.ini again. */
  private void reload(int port) {
    console(port).reload();
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
    DatabasesFile.writeAtomically(file, content, "644");
  }
}
