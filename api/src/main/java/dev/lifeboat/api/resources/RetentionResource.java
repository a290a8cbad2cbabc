package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.audit.AuditFilter;
import dev.lifeboat.api.retention.RetentionStarter;
import dev.lifeboat.api.retention.RetentionValidator;
import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.api.views.RetentionBody;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.common.model.RetentionRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.slf4j.MDC;

/** Retention: expire snapshots by policy now, or list what would be expired with {@code dryRun}. */
@Path("/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
public final class RetentionResource {
  private final RetentionValidator validator;
  private final RetentionStarter starter;

  public RetentionResource(RetentionValidator validator, RetentionStarter starter) {
    this.validator = validator;
    this.starter = starter;
  }

  /**
   * Validates everything, then starts the retention run of this second: 202 when this request
   * started it, 200 with the same run when a request of the same second already did.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response expire(RetentionBody body, @Context HttpHeaders headers, @Context ContainerRequestContext request) {
    RetentionRequest retention = validator.validate(body, Requester.of(headers));
    String runId = starter.runId();
    AuditFilter.recordRunId(request, runId);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
      RunStarter.Started started = starter.start(runId, retention);
      return Response.status(started.created() ? Response.Status.ACCEPTED : Response.Status.OK)
          .entity(RunView.of(started.run()))
          .location(URI.create(RunView.path(runId)))
          .build();
    }
  }
}
