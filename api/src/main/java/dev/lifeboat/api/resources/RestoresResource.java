package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.preflight.Preflight;
import dev.lifeboat.api.restore.RestoreStarter;
import dev.lifeboat.api.restore.RestoreValidator;
import dev.lifeboat.api.restore.RunIds;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.views.RestoreBody;
import dev.lifeboat.common.model.RestoreRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;

/** Point-in-time restores into a new temporary instance. */
@Allowed(AccessRole.OPERATOR)
@Path("/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
public final class RestoresResource {
  private final Preflight preflight;
  private final RestoreValidator validator;
  private final RestoreStarter starter;

  public RestoresResource(RestoreValidator validator, RestoreStarter starter, Preflight preflight) {
    this.validator = validator;
    this.starter = starter;
    this.preflight = preflight;
  }

  /** Validates everything, then records the run and starts its workflow; answers where to follow it. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response restore(RestoreBody body, @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @Context Idempotency idempotency, @Context SecurityContext security, @Context ContainerRequestContext request) {
    RestoreRequest restore = validator.validate(body, Requester.of(security));
    preflight.require(restore.instance(), List.of(), Preflight.NOT_NEEDED_TO_RESTORE);
    return idempotency.claim(idempotencyKey, body, RunIds.newRestoreRunId(restore.instance()),
        security, request)
        .start(request, (runId, once) -> starter.start(runId, restore, once));
  }
}
