package dev.lifeboat.activities.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the PostgreSQL 15 server binaries live: the configured directory, else the Debian
 * location, else what {@code pg_config --bindir} says. Fails early, naming every place it looked,
 * rather than letting a missing {@code initdb} surface later as an obscure process error.
 */
public final class PgBinaries {
  private static final Logger log = LoggerFactory.getLogger(PgBinaries.class);
  static final Path DEBIAN_DIR = Path.of("/usr/lib/postgresql/15/bin");

  private final Path binDir;

  private PgBinaries(Path binDir) {
    this.binDir = binDir;
  }

  /** @param configured a directory from configuration, or null to search */
  public static PgBinaries locate(Path configured) {
    List<String> tried = new ArrayList<>();
    if (configured != null) {
      if (hasServer(configured)) {
        return found(configured);
      }
      throw new IllegalStateException("PostgreSQL binaries not found in the configured directory " + configured
          + ": it must contain initdb, pg_ctl and postgres of PostgreSQL 15");
    }
    tried.add(DEBIAN_DIR.toString());
    if (hasServer(DEBIAN_DIR)) {
      return found(DEBIAN_DIR);
    }
    Path fromPgConfig = pgConfigBinDir();
    tried.add("pg_config --bindir" + (fromPgConfig == null ? " (not on PATH)" : " -> " + fromPgConfig));
    if (fromPgConfig != null && hasServer(fromPgConfig)) {
      return found(fromPgConfig);
    }
    throw new IllegalStateException("PostgreSQL 15 binaries not found; looked in " + String.join(", ", tried)
        + ". Install postgresql-15 or configure the bin directory.");
  }

  public Path binDir() {
    return binDir;
  }

  /** Absolute path of one tool, e.g. {@code pg_ctl}. */
  public String tool(String name) {
    return binDir.resolve(name).toString();
  }

  private static PgBinaries found(Path dir) {
    log.debug("Using PostgreSQL binaries in {}", dir);
    return new PgBinaries(dir.toAbsolutePath());
  }

  private static boolean hasServer(Path dir) {
    return Files.isExecutable(dir.resolve("initdb"))
        && Files.isExecutable(dir.resolve("pg_ctl"))
        && Files.isExecutable(dir.resolve("postgres"));
  }

  private static Path pgConfigBinDir() {
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return null;
      }
      return Path.of(out);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
