package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.failover.FailoverStarter;
import dev.lifeboat.api.failover.FailoverValidator;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.views.FailoverBody;
import dev.lifeboat.common.failover.FailoverRequest;
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

/** Failovers: promote a replica of a failed primary and switch the pooler to it, approved and measured. */
@Allowed(AccessRole.OPERATOR)
@Path("/v1/failovers")
@Produces(MediaType.APPLICATION_JSON)
public final class FailoversResource {
  private final FailoverValidator validator;
  private final FailoverStarter starter;

  public FailoversResource(FailoverValidator validator, FailoverStarter starter) {
    this.validator = validator;
    this.starter = starter;
  }

  /**
   * Validates, then records the run and starts its workflow, which measures the candidate and waits
   * for an approver (an admin's {@code emergency} skips that) before it changes anything.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response failover(FailoverBody body, @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @Context Idempotency idempotency, @Context SecurityContext security, @Context ContainerRequestContext request) {
    FailoverRequest failover = validator.validate(body, Requester.caller(security));
    return idempotency.claim(idempotencyKey, body, FailoverStarter.newRunId(failover.instance()), security, request)
        .start(request, (runId, once) -> starter.start(runId, failover, once));
  }
}
