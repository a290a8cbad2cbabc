package dev.lifeboat.activities.testing;

import dev.lifeboat.activities.local.FileTrees;
import dev.lifeboat.activities.local.OsUser;
import dev.lifeboat.activities.local.PgBinaries;
import dev.lifeboat.activities.local.PgCluster;
import dev.lifeboat.activities.local.Ports;
import dev.lifeboat.activities.local.ProcessRunner;
import dev.lifeboat.activities.local.TreeCopy;
import dev.lifeboat.common.platform.ProgressListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, throwaway PostgreSQL 15 cluster for tests, under {@code target/test-clusters/} of the
 * module running the test (not a JUnit @TempDir: that is 0700 and root-owned, and the server runs
 * as the {@code postgres} OS user when the build runs as root).
 *
 * <pre>{@code
 * try (TestPostgres pg = TestPostgres.start("catalog")) {
 *   DataSource ds = pg.dataSource();
 * }
 * }</pre>
 *
 * Durability is off (fsync, synchronous_commit): a crashed test cluster is simply thrown away.
 */
public final class TestPostgres implements AutoCloseable {
  private static final Path ROOT = Path.of("target", "test-clusters").toAbsolutePath();
  private static final String READY = "template-ready";

  private final Path dir;
  private final PgCluster cluster;
  private final int port;

  private TestPostgres(Path dir, PgCluster cluster, int port) {
    this.dir = dir;
    this.cluster = cluster;
    this.port = port;
  }

  /** Creates and starts a cluster; {@code name} only makes the directory recognisable. */
  public static TestPostgres start(String name) {
    OsUser user = OsUser.detect(OsUser.DEFAULT);
    FileTrees.createDirectories(ROOT, "755");
    user.checkTraversable(ROOT);
    ProcessRunner runner = new ProcessRunner(user);
    PgBinaries binaries = PgBinaries.locate(null);
    Path template = template(binaries, runner);
    Path dir = ROOT.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    PgCluster cluster = new PgCluster(binaries, runner, dir.resolve("data"), dir.resolve("postgres.log"));
    try {
      user.createOwnedDirectory(dir, "755");
      TreeCopy.copy(runner, template.resolve("data"), cluster.dataDir(), 0, ProgressListener.NONE);
      cluster.setPort(Ports.pickFree());
      int port = cluster.start(Duration.ofSeconds(60));
      return new TestPostgres(dir, cluster, port);
    } catch (RuntimeException e) {
      cluster.stop(PgCluster.StopMode.IMMEDIATE);
      FileTrees.deleteRecursively(dir);
      throw e;
    }
  }

  /**
   * An initdb'd cluster, made once per module and copied for each test cluster: copying takes a
   * fraction of initdb's time. Published by an atomic rename, so concurrent JVMs never see half
   * of one.
   */
  private static synchronized Path template(PgBinaries binaries, ProcessRunner runner) {
    Path template = ROOT.resolve(".template-pg15");
    if (Files.exists(template.resolve(READY))) {
      return template;
    }
    Path building = ROOT.resolve(".template-" + UUID.randomUUID());
    runner.osUser().createOwnedDirectory(building, "755");
    PgCluster cluster = new PgCluster(binaries, runner, building.resolve("data"), building.resolve("postgres.log"));
    cluster.initdb(0, false);
    cluster.configure(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));
    try {
      Files.createFile(building.resolve(READY));
      Files.move(building, template, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      FileTrees.deleteRecursively(building); // another JVM published one first
    } catch (IOException e) {
      FileTrees.deleteRecursively(building);
      throw new UncheckedIOException("cannot publish test cluster template " + template, e);
    }
    return template;
  }

  public int port() {
    return port;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}; user {@code postgres}, no password (trust). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("postgres");
    ds.setUser("postgres");
    return ds;
  }

  /** The underlying cluster, e.g. to read its log. */
  public PgCluster cluster() {
    return cluster;
  }

  /** Stops the server at once and deletes its directory. */
  @Override
  public void close() {
    try {
      cluster.stop(PgCluster.StopMode.IMMEDIATE);
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }
}
