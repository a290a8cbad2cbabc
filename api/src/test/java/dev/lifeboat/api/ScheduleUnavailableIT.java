package dev.lifeboat.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.api.testing.ApiFixture;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.ScheduleState;
import dev.lifeboat.common.workflow.ScheduleWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Schedules that cannot answer: no worker polls the queue, or the workflow was never created. */
class ScheduleUnavailableIT {
  private static final ScheduleSpec UNPOLLED = new ScheduleSpec("unpolled", "0 3 * * *", "UTC", RunKind.SNAPSHOT,
      null);
  private static final ScheduleSpec NEVER_CREATED = new ScheduleSpec("never-created", "0 3 * * *", "UTC",
      RunKind.SNAPSHOT, null);
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    api = ApiFixture.start("schedule-unavailable", Clock.systemUTC(), List.of(UNPOLLED, NEVER_CREATED), List.of());
    ScheduleWorkflow unpolled = api.workflowClient().newWorkflowStub(ScheduleWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(UNPOLLED.workflowId()).setTaskQueue("nobody-polls").build());
    WorkflowClient.start(unpolled::run, ScheduleState.initial(UNPOLLED));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void describe_whenNoWorkerAnswers_is503Quickly() {
    long began = System.nanoTime();

    Reply reply = api.http().get("/v1/schedules/unpolled");

    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.json().get("error").asText()).isEqualTo("TEMPORAL_UNAVAILABLE");
    assertThat(reply.json().get("details").get("schedule").asText()).isEqualTo("unpolled");
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void trigger_whenNoWorkerAnswers_saysTheSignalWasDelivered() {
    Reply reply = api.http().postEmptyAs("carol", "/v1/schedules/unpolled/trigger");

    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.json().get("message").asText()).contains("was delivered");
  }

  @Test
  void describe_whenTheWorkflowWasNeverCreated_is404() {
    Reply reply = api.http().get("/v1/schedules/never-created");

    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
    assertThat(reply.json().get("error").asText()).isEqualTo("SCHEDULE_NOT_FOUND");
    assertThat(reply.json().get("details").get("workflowId").asText()).isEqualTo("schedule-never-created");
  }
}
