package dev.lifeboat.app;

import dev.lifeboat.activities.CatalogActivitiesImpl;
import dev.lifeboat.activities.PlatformActivitiesImpl;
import dev.lifeboat.activities.SnapshotActivitiesImpl;
import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.catalog.Catalog;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.util.List;

/**
 * Workflows under the time-skipping test environment with the real activities: a local platform
 * of real clusters and a real catalog. Timers are skipped; platform work takes real time.
 */
final class RealActivitiesEnv implements AutoCloseable {
  static final String TASK_QUEUE = "lifeboat";

  final LocalPlatform platform;
  final Catalog catalog;
  final TestWorkflowEnvironment temporal;
  private final TestPostgres catalogDb;

  private RealActivitiesEnv(LocalPlatform platform, TestPostgres catalogDb, TestWorkflowEnvironment temporal) {
    this.platform = platform;
    this.catalogDb = catalogDb;
    this.catalog = Catalog.open(catalogDb.dataSource());
    this.temporal = temporal;
  }

  static RealActivitiesEnv start(String name, List<String> drRegions, Class<?>... workflowImplementations)
      throws Exception {
    LocalPlatform platform = new LocalPlatform(LocalPlatformConfig.defaults(DevStack.testHome(name).resolve("platform"))
        .withDrRegions(drRegions));
    RealActivitiesEnv env = new RealActivitiesEnv(platform, TestPostgres.start(name + "-catalog"),
        TestWorkflowEnvironment.newInstance());
    Worker worker = env.temporal.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(workflowImplementations);
    Clock clock = Clock.systemUTC();
    worker.registerActivitiesImplementations(new PlatformActivitiesImpl(platform, env.catalog.runs(), clock),
        new SnapshotActivitiesImpl(platform, env.catalog.runs(), clock),
        new CatalogActivitiesImpl(env.catalog, clock));
    env.temporal.start();
    return env;
  }

  @Override
  public void close() {
    temporal.close();
    platform.listInstances().forEach(i -> platform.stop(i.id()));
    catalogDb.close();
  }
}
