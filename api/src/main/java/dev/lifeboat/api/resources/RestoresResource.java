package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.audit.AuditFilter;
import dev.lifeboat.api.restore.RestoreStarter;
import dev.lifeboat.api.restore.RestoreValidator;
import dev.lifeboat.api.restore.RunIds;
import dev.lifeboat.api.views.RestoreBody;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.model.RunState;
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

/** Point-in-time restores into a new temporary instance. */
@Path("/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
public final class RestoresResource {
  private final RestoreValidator validator;
  private final RestoreStarter starter;

  public RestoresResource(RestoreValidator validator, RestoreStarter starter) {
    this.validator = validator;
    this.starter = starter;
  }

  /** Validates everything, then records the run and starts its workflow; answers where to follow it. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response restore(RestoreBody body, @Context HttpHeaders headers, @Context ContainerRequestContext request) {
    RestoreRequest restore = validator.validate(body, Requester.of(headers));
    String runId = RunIds.newRestoreRunId(restore.instance());
    AuditFilter.recordRunId(request, runId);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
      RunState run = starter.start(runId, restore);
      return Response.accepted(RunView.of(run)).location(URI.create(RunView.path(runId))).build();
    }
  }
}
