package dev.lifeboat.api.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.api.views.ErrorBody;
import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class TemporalExceptionMapperTest {
  private final TemporalExceptionMapper mapper = new TemporalExceptionMapper();

  private static WorkflowServiceException failure(Status status) {
    return new WorkflowServiceException(WorkflowExecution.newBuilder().setWorkflowId("restore-x-1").build(),
        "PointInTimeRestoreWorkflow", status.asRuntimeException());
  }

  @Test
  void outage_is503TemporalUnavailable() {
    Response response = mapper.toResponse(failure(Status.UNAVAILABLE.withDescription("io exception")));

    assertThat(response.getStatus()).isEqualTo(503);
    ErrorBody body = (ErrorBody) response.getEntity();
    assertThat(body.error()).isEqualTo("TEMPORAL_UNAVAILABLE");
    assertThat(body.message()).contains("UNAVAILABLE: io exception");
  }

  @Test
  void otherFailures_are500WithAnErrorIdOnly() {
    Response response = mapper.toResponse(failure(Status.PERMISSION_DENIED.withDescription("namespace secret-ns")));

    assertThat(response.getStatus()).isEqualTo(500);
    ErrorBody body = (ErrorBody) response.getEntity();
    assertThat(body.error()).isEqualTo("INTERNAL");
    assertThat(body.details()).containsKey("errorId");
    assertThat(body.message()).doesNotContain("secret-ns");
  }
}
