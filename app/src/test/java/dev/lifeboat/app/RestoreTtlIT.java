package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RestoreResult;
import dev.lifeboat.common.model.RunPhase;
import dev.lifeboat.common.platform.ProgressListener;
import dev.lifeboat.common.workflow.PointInTimeRestoreWorkflow;
import dev.lifeboat.workflows.PointInTimeRestoreWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TTL on real clusters: the workflow's timer is skipped by the test environment, while the
 * activities restore and delete a real instance.
 */
class RestoreTtlIT {
  private RealActivitiesEnv env;

  @AfterEach
  void tearDown() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void restore_whenTtlEnds_closesThePortAndRemovesTheDataDirectory() throws Exception {
    env = RealActivitiesEnv.start("ttl", List.of(), PointInTimeRestoreWorkflowImpl.class);
    env.platform.createPrimary("ttl-primary", "postgres");
    env.platform.createSnapshot("ttl-primary", "lb-ttl-primary-1", Map.of(), ProgressListener.NONE);
    try (Connection c = env.platform.connection("ttl-primary"); Statement s = c.createStatement()) {
      s.execute("create table public.kept as select g from generate_series(1, 1000) g");
    }
    Instant target = Instant.now();
    String runId = "restore-ttl-primary-ttl00001";
    PointInTimeRestoreWorkflow workflow = env.temporal.getWorkflowClient().newWorkflowStub(
        PointInTimeRestoreWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(RealActivitiesEnv.TASK_QUEUE).build());

    long skippedFrom = env.temporal.currentTimeMillis();
    RestoreResult result = workflow.restore(new RestoreRequest("ttl-primary", target, Duration.ofHours(3), "ttl",
        "test", "public"));

    assertThat(result.endedBy()).isEqualTo("ttl");
    assertThat(env.temporal.currentTimeMillis() - skippedFrom).isGreaterThanOrEqualTo(Duration.ofHours(3).toMillis());
    assertThat(result.verification().rowCounts()).containsEntry("public.kept", 1000L);
    assertThat(RestoreEndToEndIT.portOpen(result.endpoint().port())).isFalse();
    assertThat(env.platform.config().dataRoot().resolve("instances").resolve(result.temporaryInstance()))
        .doesNotExist();
    assertThat(env.platform.findInstance(result.temporaryInstance())).isEmpty();
    assertThat(env.catalog.runs().find(runId).orElseThrow().phase()).isEqualTo(RunPhase.SUCCEEDED);
  }
}
