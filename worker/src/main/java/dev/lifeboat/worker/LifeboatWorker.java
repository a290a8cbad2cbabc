package dev.lifeboat.worker;

import dev.lifeboat.activities.CatalogActivitiesImpl;
import dev.lifeboat.activities.DrillActivitiesImpl;
import dev.lifeboat.activities.FailoverActivitiesImpl;
import dev.lifeboat.activities.PlatformActivitiesImpl;
import dev.lifeboat.activities.SnapshotActivitiesImpl;
import dev.lifeboat.activities.TableActivitiesImpl;
import dev.lifeboat.activities.tables.ExportStore;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.failover.FailoverOperations;
import dev.lifeboat.common.failover.TrafficRouter;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.workflows.CrossRegionCopyWorkflowImpl;
import dev.lifeboat.workflows.DrDrillWorkflowImpl;
import dev.lifeboat.workflows.FailoverWorkflowImpl;
import dev.lifeboat.workflows.PointInTimeRestoreWorkflowImpl;
import dev.lifeboat.workflows.ReaperWorkflowImpl;
import dev.lifeboat.workflows.RebuildWorkflowImpl;
import dev.lifeboat.workflows.RetentionWorkflowImpl;
import dev.lifeboat.workflows.ScheduleWorkflowImpl;
import dev.lifeboat.workflows.SnapshotWorkflowImpl;
import dev.lifeboat.workflows.TableRecoveryWorkflowImpl;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Polls Lifeboat's task queue: every workflow and activity implementation is registered here. */
public final class LifeboatWorker implements Managed {
  private static final Logger log = LoggerFactory.getLogger(LifeboatWorker.class);

  private final WorkerFactory factory;
  private final String taskQueue;
  private final Worker worker;
  private final Platform platform;
  private final Catalog catalog;
  private final Clock clock;
  private DrillSettings drills = DrillSettings.NONE;
  private FailoverOperations failover;
  private TrafficRouter router;

  /** @param exports where table recoveries keep their exports */
  public LifeboatWorker(WorkflowClient client, String taskQueue, Platform platform, Catalog catalog, Clock clock,
      ExportStore exports) {
    this.taskQueue = taskQueue;
    this.factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(taskQueue, WorkerOptions.newBuilder()
        // No sticky queue: each workflow task may go to any worker. Lifeboat's histories are
        // short, so the full history per task costs little, and a killed worker's runs move to
        // another worker at once: the embedded test server never times out a sticky task, so
        // there a run would otherwise wait forever for the dead worker.
        .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
        .build());
    worker.registerWorkflowImplementationTypes(PointInTimeRestoreWorkflowImpl.class, SnapshotWorkflowImpl.class,
        CrossRegionCopyWorkflowImpl.class, ScheduleWorkflowImpl.class, RetentionWorkflowImpl.class,
        ReaperWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(TableRecoveryWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(DrDrillWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(FailoverWorkflowImpl.class);
    worker.registerWorkflowImplementationTypes(RebuildWorkflowImpl.class);
    this.worker = worker;
    this.platform = platform;
    this.catalog = catalog;
    this.clock = clock;
    worker.registerActivitiesImplementations(
        new PlatformActivitiesImpl(platform, catalog.runs(), clock),
        new SnapshotActivitiesImpl(platform, catalog.runs(), clock),
        new CatalogActivitiesImpl(catalog, clock));
    worker.registerActivitiesImplementations(new TableActivitiesImpl(platform, exports, catalog.runs(), clock));
  }

  /** The drills' suites, targets and analytics replicas; none (every drill fails its plan) unless set before start. */
  public LifeboatWorker withDrills(DrillSettings settings) {
    this.drills = settings;
    return this;
  }

  /**
   * The platform's failover operations and the pooler in front of the primaries; without them a
   * failover fails at its first step saying so.
   */
  public LifeboatWorker withFailover(FailoverOperations operations, TrafficRouter pooler) {
    this.failover = operations;
    this.router = pooler;
    return this;
  }

  @Override
  public void start() {
    worker.registerActivitiesImplementations(new DrillActivitiesImpl(platform, drills, catalog.drills(), clock));
    worker.registerActivitiesImplementations(new FailoverActivitiesImpl(platform,
        failover == null ? FailoverOperations.UNAVAILABLE : failover,
        router == null ? TrafficRouter.UNAVAILABLE : router));
    factory.start();
    log.info("worker polling task queue {}", taskQueue);
  }

  @Override
  public void stop() throws InterruptedException {
    factory.shutdown();
    factory.awaitTermination(30, TimeUnit.SECONDS);
    if (!factory.isTerminated()) {
      log.warn("worker did not stop within 30 s; its activities resume elsewhere after their heartbeat timeout");
    }
  }
}
