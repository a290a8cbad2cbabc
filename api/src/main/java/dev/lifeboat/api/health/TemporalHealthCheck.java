package dev.lifeboat.api.health;

import com.codahale.metrics.health.HealthCheck;
import dev.lifeboat.api.errors.TemporalFailures;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import java.util.concurrent.TimeUnit;

/** Temporal answers a cheap call within a short deadline: a health check must never hang. */
public final class TemporalHealthCheck extends HealthCheck {
  private static final long DEADLINE_SECONDS = 2;

  private final WorkflowClient client;

  public TemporalHealthCheck(WorkflowClient client) {
    this.client = client;
  }

  @Override
  protected Result check() {
    try {
      client.getWorkflowServiceStubs().blockingStub()
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return Result.healthy("namespace " + client.getOptions().getNamespace());
    } catch (RuntimeException e) {
      return Result.unhealthy("Temporal does not answer: " + TemporalFailures.summary(e));
    }
  }
}
