package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.preflight.Preflight;
import dev.lifeboat.api.restore.RunIds;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.tables.TableRecoveryStarter;
import dev.lifeboat.api.tables.TableRecoveryValidator;
import dev.lifeboat.api.views.TableRecoveryBody;
import dev.lifeboat.common.model.TableRecoveryRequest;
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

/** Table-level recovery: restore, export, compare, approve, import. */
@Allowed(AccessRole.OPERATOR)
@Path("/v1/table-recoveries")
@Produces(MediaType.APPLICATION_JSON)
public final class TableRecoveriesResource {
  private final Preflight preflight;
  private final TableRecoveryValidator validator;
  private final TableRecoveryStarter starter;

  public TableRecoveriesResource(TableRecoveryValidator validator, TableRecoveryStarter starter,
      Preflight preflight) {
    this.validator = validator;
    this.starter = starter;
    this.preflight = preflight;
  }

  /** Validates names, modes and the target time, then starts the run; answers where to follow it. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response recover(TableRecoveryBody body, @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @Context Idempotency idempotency, @Context SecurityContext security, @Context ContainerRequestContext request) {
    TableRecoveryRequest recovery = validator.validate(body, Requester.of(security));
    preflight.require(recovery.instance(), List.of(), Preflight.NOT_NEEDED_TO_RESTORE);
    return idempotency.claim(idempotencyKey, body,
        RunIds.newTableRecoveryRunId(recovery.instance()), security, request)
        .start(request, (runId, once) -> starter.start(runId, recovery, once));
  }
}
