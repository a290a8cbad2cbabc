package dev.lifeboat.api.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.health.HealthCheck;
import dev.lifeboat.activities.testing.TestPostgres;
import dev.lifeboat.api.health.TemporalHealthCheck;
import dev.lifeboat.catalog.Catalog;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With Temporal unreachable: the start fails as TEMPORAL_UNAVAILABLE and the run is recorded as failed. */
class RestoreStarterIT {
  private static TestPostgres postgres;
  private static Catalog catalog;
  private static WorkflowServiceStubs deadService;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start("restore-starter");
    catalog = Catalog.open(postgres.dataSource());
    // port 1 on loopback: nothing listens, every call fails fast with UNAVAILABLE
    deadService = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:1")
        .setRpcTimeout(Duration.ofSeconds(1))
        .setRpcRetryOptions(RpcRetryOptions.newBuilder().setExpiration(Duration.ofSeconds(2)).setMaximumAttempts(2)
            .validateBuildWithDefaults())
        .build());
  }

  @AfterAll
  static void stop() {
    if (deadService != null) {
      deadService.shutdownNow();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void start_whenTemporalUnreachable_recordsTheRunAsFailedAndSaysSo() {
    WorkflowClient client = WorkflowClient.newInstance(deadService);
    RestoreStarter starter = new RestoreStarter(client, PointInTimeRestoreWorkflow.TASK_QUEUE, catalog.runs(),
        Clock.systemUTC());
    RestoreRequest request = new RestoreRequest("techcorp-primary", Instant.parse("2026-11-24T10:31:00Z"),
        Duration.ofHours(2), "outage drill", "alice", null);

    assertThatThrownBy(() -> starter.start("restore-techcorp-primary-deadbeef", request))
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.TEMPORAL_UNAVAILABLE);
          assertThat(e.details()).containsEntry("runId", "restore-techcorp-primary-deadbeef");
          assertThat(e.getMessage()).contains("UNAVAILABLE");
        });

    RunState run = catalog.runs().find("restore-techcorp-primary-deadbeef").orElseThrow();
    assertThat(run.phase()).isEqualTo(RunPhase.FAILED);
    assertThat(run.error().type()).isEqualTo("TEMPORAL_UNAVAILABLE");
    assertThat(run.stoppedAt()).isNotNull();
  }

  @Test
  void temporalHealthCheck_whenUnreachable_isUnhealthyQuickly() throws Exception {
    long began = System.nanoTime();

    HealthCheck.Result result = new TemporalHealthCheck(WorkflowClient.newInstance(deadService)).execute();

    assertThat(result.isHealthy()).isFalse();
    assertThat(result.getMessage()).contains("UNAVAILABLE");
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
  }
}
