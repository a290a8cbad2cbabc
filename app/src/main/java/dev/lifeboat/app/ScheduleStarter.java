package dev.lifeboat.app;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the configured schedules at start-up, or updates the running ones (a changed cron in
 * the YAML changes the schedule). Checks every schedule against the platform first, so a typo
 * is a clear start-up error, not a failed run at 03:00.
 */
public final class ScheduleStarter implements Managed {
  private static final Logger log = LoggerFactory.getLogger(ScheduleStarter.class);

  private final WorkflowClient client;
  private final String taskQueue;
  private final List<ScheduleSpec> specs;

  public ScheduleStarter(WorkflowClient client, String taskQueue, List<ScheduleSpec> specs, Platform platform) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.specs = specs;
    specs.forEach(spec -> check(spec, platform));
  }

  static void check(ScheduleSpec spec, Platform platform) {
    List<String> instances = spec.snapshot() != null ? spec.snapshot().instances()
        : spec.retention() != null ? spec.retention().instances()
        : spec.drill() != null ? List.of(spec.drill().instance()) : List.of();
    List<String> drRegions = spec.snapshot() != null ? spec.snapshot().drRegions()
        : spec.drill() != null ? List.of(spec.drill().region()) : List.of();
    for (String region : drRegions) {
      if (!platform.regions().contains(region) || platform.regions().get(0).equals(region)) {
        throw new LifeboatException(ErrorType.REGION_NOT_FOUND, "schedule " + spec.id()
            + (spec.drill() != null ? " drills in region '" : " copies to region '")
            + region + "', which is not a DR region of the platform (DR regions: "
            + platform.regions().subList(1, platform.regions().size()) + ")",
            Map.of("schedule", spec.id(), "region", region));
      }
    }
    for (String instance : instances) {
      if (platform.findInstance(instance).isEmpty()) {
        throw new LifeboatException(ErrorType.INSTANCE_NOT_FOUND, "schedule " + spec.id() + " names instance '"
            + instance + "', which the platform does not know", Map.of("schedule", spec.id(), "instance", instance));
      }
    }
  }

  @Override
  public void start() {
    for (ScheduleSpec spec : specs) {
      ScheduleWorkflow schedule = client.newWorkflowStub(ScheduleWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(spec.workflowId()).setTaskQueue(taskQueue).build());
      try {
        WorkflowClient.start(schedule::run, ScheduleState.initial(spec));
        log.info("schedule {} created: '{}' {}", spec.id(), spec.cron(), spec.timeZone());
      } catch (WorkflowExecutionAlreadyStarted e) {
        client.newWorkflowStub(ScheduleWorkflow.class, spec.workflowId()).update(spec);
        log.info("schedule {} updated: '{}' {}", spec.id(), spec.cron(), spec.timeZone());
      }
    }
  }
}
