package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.audit.AuditFilter;
import dev.lifeboat.api.restore.RunIds;
import dev.lifeboat.api.tables.TableRecoveryStarter;
import dev.lifeboat.api.tables.TableRecoveryValidator;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.api.views.TableRecoveryBody;
import dev.lifeboat.common.model.RunState;
import dev.lifeboat.common.model.TableRecoveryRequest;
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

/** Table-level recovery: restore, export, compare, approve, import. */
@Path("/v1/table-recoveries")
@Produces(MediaType.APPLICATION_JSON)
public final class TableRecoveriesResource {
  private final TableRecoveryValidator validator;
  private final TableRecoveryStarter starter;

  public TableRecoveriesResource(TableRecoveryValidator validator, TableRecoveryStarter starter) {
    this.validator = validator;
    this.starter = starter;
  }

  /** Validates names, modes and the target time, then starts the run; answers where to follow it. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response recover(TableRecoveryBody body, @Context HttpHeaders headers,
      @Context ContainerRequestContext request) {
    TableRecoveryRequest recovery = validator.validate(body, Requester.of(headers));
    String runId = RunIds.newTableRecoveryRunId(recovery.instance());
    AuditFilter.recordRunId(request, runId);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
      RunState run = starter.start(runId, recovery);
      return Response.accepted(RunView.of(run)).location(URI.create(RunView.path(runId))).build();
    }
  }
}
