package dev.lifeboat.activities.pooler;

import static dev.lifeboat.activities.pooler.PoolerNames.details;

import dev.lifeboat.activities.local.ProcessRunner;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.TrafficCheck;
import dev.lifeboat.common.failover.TrafficRoute;
import dev.lifeboat.common.failover.TrafficRouter;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.platform.Platform;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An existing PgBouncer, run and owned by someone else, that applications reach the database
 * through: Lifeboat neither starts nor stops it. A switch rewrites one entry of the file its
 * {@code [databases]} section includes ({@code %include}), atomically and keeping every other line,
 * then PAUSE, RELOAD, RESUME through the admin console (as {@link dev.lifeboat.activities.local.PgBouncer}
 * does for {@code lifeboat dev}'s own); the check connects through it as {@code client}. Entries are
 * matched to managed instances by host and port against the platform's endpoints (RDS endpoint
 * addresses). The worker therefore runs on the PgBouncer host, or shares the file with it.
 */
public final class ExternalPgBouncer implements TrafficRouter {
  private static final Logger log = LoggerFactory.getLogger(ExternalPgBouncer.class);

  /** How Lifeboat logs in to the admin console or through the pooler; the password is read from {@code passwordEnv}. */
  public record Login(String host, int port, String user, String passwordEnv, String sslMode) {}

  /**
   * @param databasesFile the file PgBouncer's [databases] section includes: the only file Lifeboat writes
   * @param psql the psql the admin console is reached with (a name on the PATH, or a path)
   * @param pauseTimeout how long PAUSE waits for transactions in flight before the switch goes on without them
   */
  public record Settings(Path databasesFile, Login admin, Login client, String psql, Duration pauseTimeout) {}

  private final Settings settings;
  private final Platform platform;
  private final ProcessRunner runner;
  private final UnaryOperator<String> env;
  private final AtomicInteger pauses = new AtomicInteger();

  /** @param env where passwords are read from by variable name ({@code System::getenv}) */
  public ExternalPgBouncer(Settings settings, Platform platform, ProcessRunner runner, UnaryOperator<String> env) {
    this.settings = settings;
    this.platform = platform;
    this.runner = runner;
    this.env = env;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * What start-up requires: the databases file readable, writable and replaceable (its directory
   * writable), psql found, the passwords' variables set. The admin console is not asked: a pooler
   * that does not answer now is a preflight warning, not a reason to stop a worker.
   *
   * @throws IllegalArgumentException naming the setting to fix
   */
  public void validate() {
    Optional<String> file = fileProblem();
    if (file.isPresent()) {
      throw new IllegalArgumentException("pooler.databasesFile: " + file.get());
    }
    if (!psqlFound()) {
      throw new IllegalArgumentException("pooler.psql: " + settings.psql() + " is not an executable, nor found on the"
          + " PATH: the admin console is reached with psql (apt-get install postgresql-client)");
    }
    // admin first, always: Map.of has no order
    for (Map.Entry<String, Login> login : List.of(Map.entry("admin", settings.admin()),
        Map.entry("client", settings.client()))) {
      String variable = login.getValue().passwordEnv();
      if (variable != null && !variable.isBlank() && env.apply(variable) == null) {
        throw new IllegalArgumentException("pooler." + login.getKey() + ".passwordEnv: the environment variable "
            + variable + " holding " + login.getValue().user() + "'s password is not set");
      }
    }
    DatabasesFile.read(settings.databasesFile());
  }

  // ---- TrafficRouter ------------------------------------------------------------------------

  /** The entries of the databases file, each with the managed instance at its host and port. */
  @Override
  public synchronized List<TrafficRoute> routes() {
    List<InstanceInfo> instances = platform.listInstances();
    return read().entries().stream().filter(e -> !"*".equals(e.name()))
        .map(e -> toRoute(e, instances)).toList();
  }

  /** The admin console must answer (SHOW DATABASES): a wrong password or admin_users stops a failover's preflight. */
  @Override
  public void requireSwitchable() {
    console().databases();
  }

  @Override
  public synchronized TrafficRoute switchTo(String database, Endpoint target) {
    return fileLocked(() -> switchLocked(database, target));
  }

  private TrafficRoute switchLocked(String database, Endpoint target) {
    PoolerNames.validate(database, target);
    DatabasesFile file = read();
    DatabasesFile.Entry entry = file.entry(database).orElseThrow(() -> noEntry(database, file));
    // the entry keeps the database it serves on the server and its other options; only the server changes
    String serverDatabase = entry.dbname();
    boolean written = entry.sameServer(target.host(), target.port(), serverDatabase);
    DatabasesFile.Entry wanted = entry.withServer(target.host(), target.port(), serverDatabase);
    PgBouncerConsole.Switch done = console().switchEntry(database, target.host(), target.port(), serverDatabase,
        written, () -> file.with(wanted).write(settings.databasesFile()));
    if (!done.changed()) {
      log.info("PgBouncer database {} already points at {}:{}", database, target.host(), target.port());
    } else {
      log.warn("PgBouncer database {} switched from {} to {}:{} ({})", database, done.before() == null ? "nothing"
          : done.before().host() + ":" + done.before().port(), target.host(), target.port(),
          settings.databasesFile());
    }
    return toRoute(wanted, platform.listInstances());
  }

  /** A drill's entry: a copy of {@code like}'s line (server and every option) under the drill's name, then RELOAD. */
  @Override
  public synchronized TrafficRoute addRehearsalRoute(String database, String like) {
    PoolerNames.requireRehearsalName(database, "added");
    return fileLocked(() -> addLocked(database, like));
  }

  private TrafficRoute addLocked(String database, String like) {
    DatabasesFile file = read();
    PgBouncerConsole console = console();
    Optional<DatabasesFile.Entry> existing = file.entry(database);
    if (existing.isPresent()) {
      if (!console.databases().containsKey(database)) {
        // an earlier attempt wrote the entry but did not reload
        console.reload();
      }
      log.info("PgBouncer database {} exists already (points at {}:{})", database, existing.get().host(),
          existing.get().port());
      return toRoute(existing.get(), platform.listInstances());
    }
    DatabasesFile.Entry source = file.entry(like).orElseThrow(() -> new LifeboatException(ErrorType.INVALID_REQUEST,
        "The pooler has no database " + like + " to copy for " + database + "; the entries of "
            + settings.databasesFile() + ": " + names(file) + ". Nothing was changed.",
        details("database", database, "like", like)));
    DatabasesFile.Entry copy = source.as(database);
    file.with(copy).write(settings.databasesFile());
    console.reload();
    log.warn("PgBouncer database {} added to {}, a copy of {} ({}:{})", database, settings.databasesFile(), like,
        copy.host(), copy.port());
    return toRoute(copy, platform.listInstances());
  }

  /** Removes a drill's entry, then RELOAD; any other name is refused before anything is read. */
  @Override
  public synchronized boolean removeRehearsalRoute(String database) {
    PoolerNames.requireRehearsalName(database, "removed");
    return fileLocked(() -> removeLocked(database));
  }

  private boolean removeLocked(String database) {
    DatabasesFile file = read();
    PgBouncerConsole console = console();
    if (file.entry(database).isPresent()) {
      file.without(database).write(settings.databasesFile());
    } else if (!console.databases().containsKey(database)) {
      return false;
    }
    console.reload();
    log.warn("PgBouncer database {} removed from {}", database, settings.databasesFile());
    return true;
  }

  @Override
  public TrafficCheck check(String database) {
    return TrafficProbe.check(dataSource(database), database);
  }

  @Override
  public Endpoint endpoint(String database) {
    return new Endpoint(settings.client().host(), settings.client().port(), database, settings.client().user());
  }

  /**
   * JDBC through the pooler as {@code client}: {@code prepareThreshold=0}, since in transaction
   * pooling a named prepared statement may be gone at the next transaction.
   */
  public PGSimpleDataSource dataSource(String database) {
    Login client = settings.client();
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {client.host()});
    ds.setPortNumbers(new int[] {client.port()});
    ds.setDatabaseName(database);
    ds.setUser(client.user());
    String password = password(client);
    if (password != null) {
      ds.setPassword(password);
    }
    if (client.sslMode() != null && !client.sslMode().isBlank()) {
      ds.setSslMode(client.sslMode());
    }
    ds.setConnectTimeout(5);
    ds.setSocketTimeout(60);
    ds.setPrepareThreshold(0);
    ds.setApplicationName("lifeboat");
    return ds;
  }

  /** How many PAUSE commands this object sent (tests: a retry pauses nothing). */
  public int pauses() {
    return pauses.get();
  }

  // ---- preflight ----------------------------------------------------------------------------

  /**
   * The pooler's findings, never an exception: the databases file ({@code pooler-databases-file}),
   * the admin console ({@code pooler-admin}, a warning when it does not answer), and each entry
   * ({@code pooler-entry}: the managed instance it points at, a warning for none, or for an entry
   * PgBouncer holds otherwise than the file says, i.e. the file was edited and not reloaded).
   *
   * @param fileHere false in a process that does not write the file (the API server on another
   *     host): a missing file is then a warning there, the worker's start-up requires it
   */
  public List<PreflightCheck> preflight(boolean fileHere) {
    List<PreflightCheck> checks = new ArrayList<>();
    String path = settings.databasesFile().toString();
    Optional<String> fileProblem = fileProblem();
    DatabasesFile file = null;
    if (fileProblem.isPresent()) {
      String message = fileProblem.get() + ": a failover cannot switch traffic; the worker must run on the PgBouncer"
          + " host or share this file";
      checks.add(fileHere ? PreflightCheck.fail("pooler-databases-file", null, null, message, Map.of("path", path))
          : PreflightCheck.warn("pooler-databases-file", null, null, message + " (not visible from this process)",
              Map.of("path", path)));
    } else {
      try {
        file = DatabasesFile.read(settings.databasesFile());
        checks.add(PreflightCheck.ok("pooler-databases-file", null, null, path + " is writable ("
            + file.entries().size() + " entries)", Map.of("path", path, "entries", file.entries().size())));
      } catch (RuntimeException e) {
        checks.add(PreflightCheck.fail("pooler-databases-file", null, null, e.getMessage(), Map.of("path", path)));
      }
    }
    Map<String, PgBouncerConsole.LiveEntry> live = null;
    PgBouncerConsole console = console();
    try {
      live = console.databases();
      checks.add(PreflightCheck.ok("pooler-admin", null, null, "PgBouncer's admin console answers at "
          + console.address() + " (" + live.size() + " databases)", Map.of("admin", console.address())));
    } catch (RuntimeException e) {
      checks.add(PreflightCheck.warn("pooler-admin", null, null, e.getMessage() + ": a failover would stop at its"
          + " traffic switch", Map.of("admin", console.address())));
    }
    if (file == null) {
      return checks;
    }
    List<InstanceInfo> instances;
    try {
      instances = platform.listInstances();
    } catch (RuntimeException e) {
      checks.add(PreflightCheck.warn("pooler-entry", null, null, "cannot list the managed instances to match the"
          + " pooler's entries: " + e.getMessage(), Map.of()));
      return checks;
    }
    for (DatabasesFile.Entry entry : file.entries()) {
      if ("*".equals(entry.name())) {
        continue;
      }
      String server = entry.host() + ":" + entry.port();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("database", entry.name());
      details.put("server", server);
      PgBouncerConsole.LiveEntry held = live == null ? null : live.get(entry.name());
      String instance = instanceAt(entry.host(), entry.port(), instances);
      if (live != null && (held == null || !held.sameServer(String.valueOf(entry.host()), entry.port(),
          entry.dbname()))) {
        checks.add(PreflightCheck.warn("pooler-entry", instance, null, "PgBouncer holds " + entry.name() + " as "
            + (held == null ? "nothing" : held.host() + ":" + held.port()) + " but " + path + " says " + server
            + ": the file was changed and not reloaded (RELOAD on the admin console)", details));
      } else if (instance == null) {
        checks.add(PreflightCheck.warn("pooler-entry", null, null, entry.name() + " points at " + server + ", no"
            + " managed instance's endpoint: a failover can switch it, but Lifeboat cannot tell which instance"
            + " serves it now", details));
      } else {
        checks.add(PreflightCheck.ok("pooler-entry", instance, null, entry.name() + " points at " + instance
            + " (" + server + ")", details));
      }
    }
    return checks;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private PgBouncerConsole console() {
    Login admin = settings.admin();
    return new PgBouncerConsole(runner, settings.psql(), admin.host(), admin.port(), admin.user(), password(admin),
        settings.pauseTimeout(), pauses);
  }

  private String password(Login login) {
    String variable = login.passwordEnv();
    return variable == null || variable.isBlank() ? null : env.apply(variable);
  }

  /**
   * Runs a read-modify-write of the databases file holding a lock beside it, so two workers sharing
   * the file never lose each other's change (within this process the methods are synchronized).
   */
  private <T> T fileLocked(Supplier<T> change) {
    Path file = settings.databasesFile().toAbsolutePath();
    Path lock = file.resolveSibling("." + file.getFileName() + ".lifeboat-lock");
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      return change.get();
    } catch (IOException e) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "Cannot lock " + lock + " to change " + file + ": "
          + e.getMessage(), details("path", file.toString()), e);
    }
  }

  private DatabasesFile read() {
    return DatabasesFile.read(settings.databasesFile());
  }

  /** Why the file cannot be rewritten in place, if it cannot. */
  private Optional<String> fileProblem() {
    Path file = settings.databasesFile();
    Path dir = file.toAbsolutePath().getParent();
    if (Files.isSymbolicLink(file)) {
      return Optional.of(file + " is a symbolic link: name the file it points at (a rename would replace the link)");
    }
    if (!Files.isRegularFile(file)) {
      return Optional.of(file + " does not exist (or is not a file): it must be the file PgBouncer's [databases]"
          + " section includes (%include)");
    }
    if (!Files.isReadable(file) || !Files.isWritable(file)) {
      return Optional.of(file + " is not readable and writable by this process's user");
    }
    if (dir == null || !Files.isWritable(dir)) {
      return Optional.of("its directory " + dir + " is not writable by this process's user: the file is replaced"
          + " atomically by a rename, which needs it");
    }
    try {
      String owner = Files.getOwner(file).getName();
      String me = System.getProperty("user.name");
      if (!owner.equals(me) && !"root".equals(me)) {
        return Optional.of(file + " is owned by " + owner + ": its replacement would be owned by " + me + ", who"
            + " cannot give it back; let " + me + " own it (group and mode readable by PgBouncer's user)");
      }
    } catch (IOException e) {
      return Optional.of("cannot read the owner of " + file + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  private boolean psqlFound() {
    String psql = settings.psql();
    if (psql.contains("/")) {
      return Files.isExecutable(Path.of(psql));
    }
    String path = System.getenv("PATH");
    return path != null && java.util.Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, psql)));
  }

  private LifeboatException noEntry(String database, DatabasesFile file) {
    return new LifeboatException(ErrorType.INVALID_REQUEST, "The pooler has no database " + database + " in "
        + settings.databasesFile() + " (its entries: " + names(file) + "); Lifeboat switches the entries of that file"
        + " only. Nothing was changed.", details("database", database, "databasesFile",
        settings.databasesFile().toString()));
  }

  private static List<String> names(DatabasesFile file) {
    return file.entries().stream().map(DatabasesFile.Entry::name).toList();
  }

  private TrafficRoute toRoute(DatabasesFile.Entry e, List<InstanceInfo> instances) {
    return new TrafficRoute(e.name(), e.host(), e.port(), instanceAt(e.host(), e.port(), instances));
  }

  /** The managed instance whose endpoint is {@code host:port}: a primary or replica first, a former primary last. */
  static String instanceAt(String host, int port, List<InstanceInfo> instances) {
    if (host == null) {
      return null;
    }
    return instances.stream()
        .filter(i -> i.endpoint() != null && i.endpoint().port() == port && host.equalsIgnoreCase(i.endpoint().host()))
        .min(Comparator.comparing((InstanceInfo i) -> i.role() == InstanceRole.FORMER_PRIMARY))
        .map(InstanceInfo::id).orElse(null);
  }
}
