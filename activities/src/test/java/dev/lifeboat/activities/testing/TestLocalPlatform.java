package dev.lifeboat.activities.testing;

import dev.lifeboat.activities.local.FileTrees;
import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.common.model.InstanceInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * A {@link LocalPlatform} with its own data root under {@code target/test-platforms/}; closing it
 * stops every instance and deletes the data root.
 *
 * <pre>{@code
 * try (TestLocalPlatform local = TestLocalPlatform.create("pitr")) {
 *   local.platform().createPrimary("orders-db");
 * }
 * }</pre>
 */
public final class TestLocalPlatform implements AutoCloseable {
  private static final Path ROOT = Path.of("target", "test-platforms").toAbsolutePath();

  private final Path dataRoot;
  private final LocalPlatform platform;

  private TestLocalPlatform(Path dataRoot, LocalPlatform platform) {
    this.dataRoot = dataRoot;
    this.platform = platform;
  }

  public static TestLocalPlatform create(String name) {
    return create(name, UnaryOperator.identity());
  }

  /** @param customize adjusts the default configuration (archive timeout, region...) */
  public static TestLocalPlatform create(String name, UnaryOperator<LocalPlatformConfig> customize) {
    FileTrees.createDirectories(ROOT, "755");
    Path dataRoot = ROOT.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    LocalPlatformConfig config = customize.apply(LocalPlatformConfig.defaults(dataRoot)
        .withArchiveTimeout(Duration.ofSeconds(60)));
    return new TestLocalPlatform(dataRoot, new LocalPlatform(config));
  }

  public LocalPlatform platform() {
    return platform;
  }

  public Path dataRoot() {
    return dataRoot;
  }

  /** Runs one statement (its own transaction) on an instance's database. */
  public void sql(String instance, String statement) throws SQLException {
    try (Connection c = platform.connection(instance); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  /** The first column of the first row of {@code query} on an instance, as text. */
  public String queryString(String instance, String query) throws SQLException {
    try (Connection c = platform.connection(instance); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Waits until the row {@code id} of {@code table} is on the instance (replicated, say). */
  public void awaitId(String instance, String table, int id, Duration atMost) {
    Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> ids(instance, table).contains(id));
  }

  /** The integer ids of a table on an instance, in order. */
  public List<Integer> ids(String instance, String table) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Connection c = platform.connection(instance); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select id from " + table + " order by id")) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    return ids;
  }

  @Override
  public void close() {
    try {
      for (InstanceInfo instance : platform.listInstances()) {
        if (instance.temporary()) {
          platform.deleteTemporaryInstance(instance.id());
        } else {
          platform.stop(instance.id());
        }
      }
    } finally {
      FileTrees.deleteRecursively(dataRoot);
    }
  }
}
