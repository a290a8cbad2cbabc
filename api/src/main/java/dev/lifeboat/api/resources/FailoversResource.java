package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.failover.FailoverReportPage;
import dev.lifeboat.api.failover.FailoverStarter;
import dev.lifeboat.api.failover.FailoverValidator;
import dev.lifeboat.api.reports.ReportPage;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.views.FailoverBody;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.FailoverRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.RunState;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Failovers: promote a replica of a failed primary (or restore it in a DR region) and switch the
 * pooler to it, approved and measured; the report of a run as a page for people.
 */
@Allowed(AccessRole.OPERATOR)
@Path("/v1/failovers")
@Produces(MediaType.APPLICATION_JSON)
public final class FailoversResource {
  private final FailoverValidator validator;
  private final FailoverStarter starter;
  private final RunStore runs;
  private final Clock clock;

  public FailoversResource(FailoverValidator validator, FailoverStarter starter, RunStore runs, Clock clock) {
    this.validator = validator;
    this.starter = starter;
    this.runs = runs;
    this.clock = clock;
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

  /**
   * The run as a self-contained page for people, the drill report's shape: verdict, who requested
   * and who approved, measured RTO and data loss, what each step did, the timeline. Rendered from
   * the run's recorded state, so a failover that failed or still runs has one too.
   */
  @Allowed(AccessRole.VIEWER)
  @GET
  @Path("/{id}/report.html")
  @Produces(MediaType.TEXT_HTML)
  public Response html(@PathParam("id") String runId) {
    Optional<RunState> run = runs.find(runId);
    if (run.isEmpty() || run.get().kind() != RunKind.FAILOVER) {
      throw new LifeboatException(ErrorType.RUN_NOT_FOUND, run.isEmpty()
          ? "No failover has the id '" + runId + "'; GET /v1/runs?kind=failover lists them."
          : "Run " + runId + " is a " + run.get().kind().wireName() + ", not a failover; its state is at "
              + RunView.path(runId) + ".", Map.of("runId", runId));
    }
    return ReportPage.ok(FailoverReportPage.render(run.get(), clock.instant()));
  }
}
