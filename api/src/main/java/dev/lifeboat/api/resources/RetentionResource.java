package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.retention.RetentionStarter;
import dev.lifeboat.api.retention.RetentionValidator;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.views.RetentionBody;
import dev.lifeboat.common.model.RetentionRequest;
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

/** Retention: expire snapshots by policy now, or list what would be expired with {@code dryRun}. */
@Allowed(AccessRole.ADMIN)
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
   * started it, 200 with the same run when a request of the same second already did. A repeated
   * Idempotency-Key answers the run it was first sent for.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response expire(RetentionBody body, @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @Context Idempotency idempotency, @Context SecurityContext security, @Context ContainerRequestContext request) {
    RetentionRequest retention = validator.validate(body, Requester.of(security));
    return idempotency.claim(idempotencyKey, body, starter.runId(), security, request)
        .start(request, (runId, once) -> starter.start(runId, retention));
  }
}
