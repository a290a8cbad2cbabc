package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.validation.constraints.NotBlank;
import java.util.concurrent.TimeUnit;

/** Where the Temporal frontend is: a cluster in production, the embedded server in dev mode. */
public class TemporalFactory {
  @NotBlank
  private String target = "127.0.0.1:7233";
  @NotBlank
  private String namespace = "default";
  @NotBlank
  private String taskQueue = PointInTimeRestoreWorkflow.TASK_QUEUE;

  @JsonProperty
  public String getTarget() {
    return target;
  }

  @JsonProperty
  public void setTarget(String target) {
    this.target = target;
  }

  @JsonProperty
  public String getNamespace() {
    return namespace;
  }

  @JsonProperty
  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @JsonProperty
  public String getTaskQueue() {
    return taskQueue;
  }

  @JsonProperty
  public void setTaskQueue(String taskQueue) {
    this.taskQueue = taskQueue;
  }

  /** A client over lazily connecting stubs, closed with the application. */
  public WorkflowClient build(LifecycleEnvironment lifecycle) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    lifecycle.manage(new Managed() {
      @Override
      public void stop() {
        stubs.shutdown();
        stubs.awaitTermination(5, TimeUnit.SECONDS);
      }
    });
    return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }
}
