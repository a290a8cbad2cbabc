package dev.lifeboat.api.testing;

import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.api.ApiContext;
import dev.lifeboat.api.RestoreLimits;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.testing.DropwizardTestSupport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.util.List;

/**
 * The API running for real on a free port: a throwaway PostgreSQL for the catalog, Temporal's
 * in-memory test server with {@link HoldingRestoreWorkflow}, {@link HoldingSnapshotWorkflow},
 * {@link RecordingScheduleWorkflow} and {@link RecordingRetentionWorkflow} on the task queue, and
 * {@link FakePlatform}. One per test class: start it in {@code @BeforeAll}, close it in
 * {@code @AfterAll}.
 */
public final class ApiFixture implements AutoCloseable {
  private final TestPostgres postgres;
  private final TestWorkflowEnvironment temporal;
  private final Catalog catalog;
  private final FakePlatform platform;
  private final DropwizardTestSupport<Configuration> app;
  private final Http http;

  private ApiFixture(TestPostgres postgres, TestWorkflowEnvironment temporal, Catalog catalog, FakePlatform platform,
      DropwizardTestSupport<Configuration> app) {
    this.postgres = postgres;
    this.temporal = temporal;
    this.catalog = catalog;
    this.platform = platform;
    this.app = app;
    this.http = new Http(app.getLocalPort());
  }

  public static ApiFixture start(String name) {
    return start(name, Clock.systemUTC(), List.of(), List.of());
  }

  /**
   * @param clock the API's and the platform's
   * @param schedules the schedules the API knows
   * @param running those of them whose workflow ({@link RecordingScheduleWorkflow}) is started
   */
  public static ApiFixture start(String name, Clock clock, List<ScheduleSpec> schedules, List<ScheduleSpec> running) {
    return start(name, clock, schedules, running, null);
  }

  /** @param drills the drill settings the API validates against ({@link RecordingDrillWorkflow} runs drills) */
  public static ApiFixture start(String name, Clock clock, List<ScheduleSpec> schedules, List<ScheduleSpec> running,
      DrillSettings drills) {
    TestPostgres postgres = TestPostgres.start(name);
    TestWorkflowEnvironment temporal = null;
    try {
      Catalog catalog = Catalog.open(postgres.dataSource());
      temporal = TestWorkflowEnvironment.newInstance();
      Worker worker = temporal.newWorker(PointInTimeRestoreWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(HoldingRestoreWorkflow.class, HoldingSnapshotWorkflow.class,
          RecordingScheduleWorkflow.class, RecordingRetentionWorkflow.class);
      worker.registerWorkflowImplementationTypes(RecordingDrillWorkflow.class);
      temporal.start();
      for (ScheduleSpec spec : running) {
        ScheduleWorkflow schedule = temporal.getWorkflowClient().newWorkflowStub(ScheduleWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(spec.workflowId())
                .setTaskQueue(PointInTimeRestoreWorkflow.TASK_QUEUE).build());
        WorkflowClient.start(schedule::run, ScheduleState.initial(spec));
      }
      FakePlatform platform = new FakePlatform(clock);
      ApiContext context = new ApiContext(temporal.getWorkflowClient(), PointInTimeRestoreWorkflow.TASK_QUEUE,
          platform, catalog, clock, RestoreLimits.DEFAULTS, schedules, null, null, drills, TestCallers.SETTINGS);
      DropwizardTestSupport<Configuration> app = new DropwizardTestSupport<>(ApiTestApp.class, configuration()) {
        @Override
        public Application<Configuration> newApplication() {
          return new ApiTestApp(context);
        }
      };
      app.before();
      return new ApiFixture(postgres, temporal, catalog, platform, app);
    } catch (Exception | Error e) {
      if (temporal != null) {
        temporal.close();
      }
      postgres.close();
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  /** Free ports, quiet logs. */
  private static Configuration configuration() {
    Configuration configuration = new Configuration();
    DefaultServerFactory server = (DefaultServerFactory) configuration.getServerFactory();
    ((HttpConnectorFactory) server.getApplicationConnectors().get(0)).setPort(0);
    ((HttpConnectorFactory) server.getAdminConnectors().get(0)).setPort(0);
    ((DefaultLoggingFactory) configuration.getLoggingFactory()).setLevel("WARN");
    return configuration;
  }

  /**
   * Records every failover that has not ended as cancelled, as its workflow would: this fixture
   * runs no failover workflow, and a primary takes one failover at a time.
   */
  public void endFailovers() {
    endRuns(dev.lifeboat.common.model.RunKind.FAILOVER);
  }

  /** Marks the runs of {@code kind} that have not ended as cancelled: one of an instance at a time is allowed. */
  public void endRuns(dev.lifeboat.common.model.RunKind kind) {
    catalog.runs().list(new dev.lifeboat.catalog.RunFilter(kind, null, null),
        null, 200).items().stream().filter(run -> !run.phase().terminal()).forEach(run -> catalog.runs().save(
            new dev.lifeboat.common.model.RunState(run.runId(), run.kind(), run.instance(), run.requester(),
                run.reason(), dev.lifeboat.common.model.RunPhase.CANCELLED, run.step(), run.percent(), run.bytes(),
                run.detail(), run.steps(), run.request(), run.endpoint(), run.result(), run.error(), run.startedAt(),
                java.time.Instant.now(), run.expiresAt())));
  }

  public Http http() {
    return http;
  }

  public Catalog catalog() {
    return catalog;
  }

  public WorkflowClient workflowClient() {
    return temporal.getWorkflowClient();
  }

  public FakePlatform platform() {
    return platform;
  }

  public DropwizardTestSupport<Configuration> app() {
    return app;
  }

  @Override
  public void close() {
    try {
      app.after();
    } finally {
      try {
        temporal.close();
      } finally {
        postgres.close();
      }
    }
  }
}
