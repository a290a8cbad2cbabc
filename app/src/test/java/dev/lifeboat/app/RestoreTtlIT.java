package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.CatalogActivitiesImpl;
import dev.lifeboat.activities.PlatformActivitiesImpl;
import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.platform.ProgressListener;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import dev.lifeboat.workflows.PointInTimeRestoreWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TTL on real clusters: the workflow's timer is skipped by the test environment, while the
 * activities restore and delete a real instance.
 */
class RestoreTtlIT {
  private TestWorkflowEnvironment env;
  private TestPostgres catalogDb;
  private LocalPlatform platform;

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
    if (platform != null) {
      platform.listInstances().forEach(i -> platform.stop(i.id()));
    }
    if (catalogDb != null) {
      catalogDb.close();
    }
  }

  @Test
  void restore_whenTtlEnds_closesThePortAndRemovesTheDataDirectory() throws Exception {
    Path home = DevStack.testHome("ttl");
    platform = new LocalPlatform(LocalPlatformConfig.defaults(home.resolve("platform")));
    platform.createPrimary("ttl-primary", "postgres");
    platform.createSnapshot("ttl-primary", "lb-ttl-primary-1", Map.of(), ProgressListener.NONE);
    var primary = platform.findInstance("ttl-primary").orElseThrow().endpoint();
    try (Connection c = DriverManager.getConnection(primary.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("create table public.kept as select g from generate_series(1, 1000) g");
    }
    Instant target = Instant.now();
    catalogDb = TestPostgres.start("ttl-catalog");
    Catalog catalog = Catalog.open(catalogDb.dataSource());

    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(PointInTimeRestoreWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(PointInTimeRestoreWorkflowImpl.class);
    worker.registerActivitiesImplementations(new PlatformActivitiesImpl(platform, catalog.runs(), Clock.systemUTC()),
        new CatalogActivitiesImpl(catalog.runs(), catalog.audit(), Clock.systemUTC()));
    env.start();
    String runId = "restore-ttl-primary-ttl00001";
    PointInTimeRestoreWorkflow workflow = env.getWorkflowClient().newWorkflowStub(PointInTimeRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(PointInTimeRestoreWorkflow.TASK_QUEUE).build());

    long skippedFrom = env.currentTimeMillis();
    RestoreResult result = workflow.restore(new RestoreRequest("ttl-primary", target, Duration.ofHours(3), "ttl",
        "test", "public"));

    assertThat(result.endedBy()).isEqualTo("ttl");
    assertThat(env.currentTimeMillis() - skippedFrom).isGreaterThanOrEqualTo(Duration.ofHours(3).toMillis());
    assertThat(result.verification().rowCounts()).containsEntry("public.kept", 1000L);
    assertThat(RestoreEndToEndIT.portOpen(result.endpoint().port())).isFalse();
    assertThat(home.resolve("platform/instances").resolve(result.temporaryInstance())).doesNotExist();
    assertThat(platform.findInstance(result.temporaryInstance())).isEmpty();
    assertThat(catalog.runs().find(runId).orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);
  }
}
