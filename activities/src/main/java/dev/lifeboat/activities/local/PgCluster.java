package dev.lifeboat.activities.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL cluster on this machine: a data directory, a log file and a loopback port.
 * Lifeboat's settings live in {@code postgresql.auto.conf} (read last, so they win over a copied
 * {@code postgresql.conf}). The server listens on 127.0.0.1 only and opens no Unix socket, which
 * spares us socket-path length limits and lock files in /tmp.
 */
public final class PgCluster {
  private static final Logger log = LoggerFactory.getLogger(PgCluster.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int BIND_ATTEMPTS = 5;
  /** How long a postmaster may take to write postmaster.pid before we call the start failed. */
  private static final Duration PID_FILE_GRACE = Duration.ofSeconds(15);

  public enum StopMode {
    /** Rolls back open transactions and checkpoints: the normal way down. */
    FAST,
    /** Kills at once; the next start runs crash recovery. For throwaway instances. */
    IMMEDIATE
  }

  private final PgBinaries binaries;
  private final ProcessRunner runner;
  private final Path dataDir;
  private final Path logFile;

  public PgCluster(PgBinaries binaries, ProcessRunner runner, Path dataDir, Path logFile) {
    this.binaries = binaries;
    this.runner = runner;
    this.dataDir = dataDir.toAbsolutePath();
    this.logFile = logFile.toAbsolutePath();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  public ConfFile autoConf() {
    return ConfFile.autoConf(dataDir);
  }

  public boolean isInitialized() {
    return Files.exists(dataDir.resolve("PG_VERSION"));
  }

  /**
   * Creates the cluster unless it exists; a half-made directory from a crashed attempt is wiped
   * first. {@code sync=false} skips initdb's final fsync (throwaway test clusters).
   */
  public void initdb(int port, boolean sync) {
    if (isInitialized()) {
      return;
    }
    FileTrees.deleteRecursively(dataDir);
    runner.osUser().createOwnedDirectory(dataDir.getParent(), "755");
    runner.osUser().createOwnedDirectory(dataDir, "700");
    List<String> cmd = new ArrayList<>(List.of(binaries.tool("initdb"), "-D", dataDir.toString(),
        "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"));
    if (!sync) {
      cmd.add("--no-sync");
    }
    ProcessRunner.check(runner.runAsPg(cmd, Duration.ofMinutes(2)));
    Map<String, String> base = new LinkedHashMap<>();
    base.put("listen_addresses", "127.0.0.1");
    base.put("port", Integer.toString(port));
    base.put("unix_socket_directories", "");
    autoConf().set(base);
    log.info("Initialized cluster {} (port {})", dataDir, port);
  }

  /** Sets (and removes) settings; effective at the next start, or reload for reloadable ones. */
  public void configure(Map<String, String> set, Set<String> remove) {
    autoConf().update(set, remove);
    // the server must be able to rewrite it (ALTER SYSTEM)
    runner.osUser().own(dataDir.resolve(ConfFile.AUTO_CONF));
  }

  public void configure(Map<String, String> set) {
    configure(set, Set.of());
  }

  /** The port this cluster is configured for, 0 when none is set. */
  public int port() {
    String value = autoConf().get("port");
    return value == null ? 0 : Integer.parseInt(value);
  }

  public void setPort(int port) {
    configure(Map.of("port", Integer.toString(port)));
  }

  /**
   * Starts the server and waits until it accepts connections (as primary or hot standby). When
   * another process took the port, picks a free one and tries again.
   *
   * @return the port the server listens on
   */
  public int start(Duration timeout) {
    if (isRunning()) {
      return port();
    }
    for (int attempt = 1; ; attempt++) {
      StartAttempt started = startNoWait();
      try {
        awaitAccepting(started, timeout);
        return port();
      } catch (StartFailedException e) {
        if (e.bindFailure() && attempt < BIND_ATTEMPTS) {
          int port = Ports.pickFree();
          log.warn("Port {} of {} was taken, retrying on {}", port(), dataDir, port);
          setPort(port);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * Where a start began in the log, so that failures read only this start's lines.
   *
   * @param stalePid the pid in a postmaster.pid left by a crash (0 if none): until the new
   *     postmaster replaces that file, its dead pid says nothing about this start
   */
  public record StartAttempt(long logOffset, long startedNanos, long stalePid) {}

  /** Launches the postmaster and returns at once; pair with {@link #awaitAccepting} or own polling. */
  public StartAttempt startNoWait() {
    long offset = logSize();
    long stalePid = PidFile.read(dataDir).filter(p -> !p.alive()).map(PidFile::pid).orElse(0L);
    ProcessRunner.Result r = runner.runAsPg(List.of(binaries.tool("pg_ctl"), "start", "-W", "-D", dataDir.toString(),
        "-l", logFile.toString()), Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new StartFailedException("pg_ctl could not launch " + dataDir + ": " + r.tail(5) + logHint(offset), false);
    }
    return new StartAttempt(offset, System.nanoTime(), stalePid);
  }

  /**
   * Waits until the postmaster reports ready or standby in postmaster.pid. Fails fast when it dies,
   * with the log lines of this start.
   */
  public void awaitAccepting(StartAttempt attempt, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<PidFile> pid = PidFile.read(dataDir);
      if (pid.isPresent() && pid.get().alive() && pid.get().acceptsConnections()) {
        return;
      }
      checkNotDead(attempt);
      if (System.nanoTime() > deadline) {
        throw new StartFailedException("server " + dataDir + " did not accept connections within " + timeout
            + logHint(attempt.logOffset()), false);
      }
      sleep(POLL);
    }
  }

  /**
   * Throws when the postmaster of this start has exited; returns while it may still be running.
   * Used by callers with their own readiness condition (a restore waits for promotion).
   */
  public void checkNotDead(StartAttempt attempt) {
    Optional<PidFile> pid = PidFile.read(dataDir).filter(p -> p.pid() != attempt.stalePid());
    if (pid.isPresent() && pid.get().alive()) {
      return;
    }
    String newLog = logSince(attempt.logOffset());
    boolean exited = newLog.contains("database system is shut down") || newLog.contains("FATAL")
        || newLog.contains("PANIC")
        || (pid.isEmpty() && System.nanoTime() - attempt.startedNanos() > PID_FILE_GRACE.toNanos());
    if (pid.isPresent() && !pid.get().alive()) {
      exited = true;
    }
    if (exited) {
      boolean bind = newLog.contains("could not bind") || newLog.contains("could not create any TCP/IP sockets");
      throw new StartFailedException("server " + dataDir + " exited during start-up" + logHint(attempt.logOffset()), bind);
    }
  }

  /** Stops the server; a server that is not running is fine. */
  public void stop(StopMode mode) {
    if (!isRunning()) {
      return;
    }
    String m = mode == StopMode.FAST ? "fast" : "immediate";
    ProcessRunner.Result r = runner.runAsPg(List.of(binaries.tool("pg_ctl"), "stop", "-D", dataDir.toString(),
        "-m", m, "-w", "-t", "60"), Duration.ofSeconds(90));
    if (!r.ok() && isRunning()) {
      if (mode == StopMode.FAST) {
        log.warn("Fast stop of {} failed ({}), stopping immediately", dataDir, r.tail(2));
        stop(StopMode.IMMEDIATE);
        return;
      }
      throw new IllegalStateException("could not stop " + dataDir + ": " + r.tail(5));
    }
    log.info("Stopped cluster {} ({})", dataDir, m);
  }

  /** True when postmaster.pid names a live postgres process. */
  public boolean isRunning() {
    return PidFile.read(dataDir).map(PidFile::alive).orElse(false);
  }

  /** The last {@code lines} lines of the server log. */
  public List<String> logTail(int lines) {
    List<String> all = readLogLines(0);
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  /** Log text written since a byte offset (e.g. since a start began). */
  public String logSince(long offset) {
    return String.join("\n", readLogLines(offset));
  }

  public long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private List<String> readLogLines(long offset) {
    if (!Files.exists(logFile)) {
      return List.of();
    }
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long from = Math.min(offset, f.length());
      byte[] buf = new byte[(int) Math.min(f.length() - from, 4 * 1024 * 1024)];
      f.seek(Math.max(from, f.length() - buf.length));
      f.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + logFile, e);
    }
  }

  private String logHint(long offset) {
    List<String> lines = readLogLines(offset).stream()
        .filter(l -> l.contains("FATAL") || l.contains("PANIC") || l.contains("ERROR") || l.contains("could not")
            || l.contains("invalid") || l.contains("DETAIL") || l.contains("HINT"))
        .toList();
    lines = lines.subList(Math.max(0, lines.size() - 12), lines.size());
    if (lines.isEmpty()) {
      lines = readLogLines(offset);
      lines = lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }
    return lines.isEmpty() ? " (log " + logFile + " is empty)" : "; log " + logFile + ":\n" + String.join("\n", lines);
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A start that did not reach "accepting connections". */
  public static final class StartFailedException extends IllegalStateException {
    private final boolean bindFailure;

    StartFailedException(String message, boolean bindFailure) {
      super(message);
      this.bindFailure = bindFailure;
    }

    public boolean bindFailure() {
      return bindFailure;
    }
  }
}
