package dev.lifeboat.activities.pooler;

import dev.lifeboat.activities.local.ProcessRunner;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PgBouncer's admin console ({@code dbname=pgbouncer}): SHOW, PAUSE, RELOAD, RESUME, RECONNECT, and
 * the switch of one entry built from them. Reached with psql: pgJDBC cannot log in to it (it sends
 * {@code SET extra_float_digits} to any server reporting a version below 12, and the console reports
 * PgBouncer's own, which it refuses). A password goes to psql in {@code PGPASSWORD}, never on its
 * command line.
 */
public final class PgBouncerConsole {
  private static final Logger log = LoggerFactory.getLogger(PgBouncerConsole.class);
  public static final String ADMIN_DATABASE = "pgbouncer";
  public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

  /** A [databases] entry as PgBouncer holds it now (SHOW DATABASES). */
  public record LiveEntry(String name, String host, int port, String database, boolean paused) {
    public boolean sameServer(String host, int port, String database) {
      return host.equalsIgnoreCase(this.host) && port == this.port && database.equals(this.database);
    }
  }

  /**
   * What a switch did.
   *
   * @param before the entry PgBouncer held before; null when it had none
   * @param changed false when it pointed at the server already (nothing was paused nor reloaded)
   */
  public record Switch(LiveEntry before, boolean changed) {}

  private final ProcessRunner runner;
  private final String psql;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final Duration pauseTimeout;
  private final AtomicInteger pauses;

  /**
   * @param password null or empty: none (trust, or a ~/.pgpass the worker's user holds)
   * @param pauses counts the PAUSE commands sent (tests: a retry pauses nothing)
   */
  public PgBouncerConsole(ProcessRunner runner, String psql, String host, int port, String user, String password,
      Duration pauseTimeout, AtomicInteger pauses) {
    this.runner = runner;
    this.psql = psql;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.pauseTimeout = pauseTimeout;
    this.pauses = pauses;
  }

  /** Where it is, for messages: never with a password. */
  public String address() {
    return user + "@" + host + ":" + port + "/" + ADMIN_DATABASE;
  }

  /**
   * Points {@code database} at a server the way a failover does: {@code rewrite} writes the new
   * entry, then PAUSE (transactions in flight finish, new ones wait; at most the pause timeout,
   * after which the switch goes on and RECONNECT closes the old server connections as they are
   * released), RELOAD, RESUME. Nothing is paused for a new entry (no client can use it) nor when
   * PgBouncer and the file point there already ({@code written}); a database an earlier attempt
   * left paused is resumed.
   */
  public Switch switchEntry(String database, String host, int port, String serverDatabase, boolean written,
      Runnable rewrite) {
    LiveEntry live = databases().get(database);
    boolean paused = live != null && live.paused();
    if (live != null && written && live.sameServer(host, port, serverDatabase)) {
      if (paused) {
        // an earlier attempt stopped between PAUSE and RESUME
        resume(database);
      }
      return new Switch(live, false);
    }
    rewrite.run();
    if (live == null) {
      reload();
      return new Switch(null, true);
    }
    boolean drained = paused;
    try {
      // inside the try: a PAUSE that took effect before its answer was lost is resumed all the same
      drained = paused || pause(database);
      reload();
      if (!drained) {
        // transactions still open on the old server: their server connections close when released
        command("RECONNECT " + database, ADMIN_TIMEOUT);
      }
    } finally {
      resume(database);
    }
    return new Switch(live, true);
  }

  /** PAUSE, waiting at most the pause timeout; false when transactions were still open then. */
  public boolean pause(String database) {
    pauses.incrementAndGet();
    ProcessRunner.Result r = admin("PAUSE " + database, pauseTimeout);
    if (r.timedOut()) {
      log.warn("PAUSE {} did not finish within {}: transactions are still open on the old server; switching without"
          + " them", database, pauseTimeout);
      return false;
    }
    require(r, "PAUSE " + database);
    return true;
  }

  public void resume(String database) {
    ProcessRunner.Result r = admin("RESUME " + database, ADMIN_TIMEOUT);
    if (!r.ok() && isPaused(database)) {
      throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer did not resume " + database + ": "
          + r.tail(3), Map.of("database", database));
    }
  }

  /** Makes PgBouncer read its configuration, and the databases file it includes, again. */
  public void reload() {
    command("RELOAD", ADMIN_TIMEOUT);
  }

  public boolean isPaused(String database) {
    LiveEntry live = databases().get(database);
    return live != null && live.paused();
  }

  /** The live [databases] entries (SHOW DATABASES), without the admin console's own. */
  public Map<String, LiveEntry> databases() {
    Map<String, LiveEntry> entries = new LinkedHashMap<>();
    for (Map<String, String> row : show("DATABASES")) {
      String name = row.get("name");
      String h = row.get("host");
      if (ADMIN_DATABASE.equals(name) || h == null || h.isEmpty() || row.get("port") == null) {
        continue;
      }
      entries.put(name, new LiveEntry(name, h, Integer.parseInt(row.get("port")), row.get("database"),
          "1".equals(row.get("paused"))));
    }
    return entries;
  }

  /** SHOW {@code what}: one map per row, by column name. */
  public List<Map<String, String>> show(String what) {
    ProcessRunner.Result r = command("SHOW " + what, ADMIN_TIMEOUT);
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

  /** Runs an admin command; fails with PgBouncer's answer when it does not succeed. */
  public ProcessRunner.Result command(String command, Duration timeout) {
    return require(admin(command, timeout), command);
  }

  private ProcessRunner.Result admin(String command, Duration timeout) {
    List<String> argv = List.of(psql, "-X", "-A", "-F", "\t", "-P", "footer=off", "-v", "ON_ERROR_STOP=1", "-d",
        "host=" + host + " port=" + port + " dbname=" + ADMIN_DATABASE + " user=" + user + " connect_timeout=5",
        "-c", command);
    return password == null || password.isEmpty() ? runner.run(argv, timeout)
        : runner.runWithSecretEnvironment(argv, Map.of("PGPASSWORD", password), timeout);
  }

  private ProcessRunner.Result require(ProcessRunner.Result r, String what) {
    if (r.ok()) {
      return r;
    }
    String answer = r.timedOut() ? "no answer within the timeout" : r.tail(3);
    String hint = "";
    if (answer.contains("password authentication failed") || answer.contains("no password supplied")) {
      hint = " (check the admin user and its password, and that PgBouncer's auth_file has them)";
    } else if (answer.contains("not allowed") || answer.contains("admin")) {
      hint = " (the user must be in PgBouncer's admin_users)";
    } else if (answer.contains("Connection refused") || answer.contains("could not connect")) {
      hint = " (is PgBouncer running and listening there?)";
    }
    throw new LifeboatException(ErrorType.PLATFORM_ERROR, "PgBouncer admin command " + what + " on " + address()
        + " failed: " + answer + hint, Map.of("command", what, "admin", address()));
  }
}
