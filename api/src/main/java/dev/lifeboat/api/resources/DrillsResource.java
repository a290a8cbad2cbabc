package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.drills.DrillReportPage;
import dev.lifeboat.api.drills.DrillStarter;
import dev.lifeboat.api.drills.DrillTrend;
import dev.lifeboat.api.drills.DrillValidator;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.preflight.Preflight;
import dev.lifeboat.api.reports.ReportPage;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.runs.RunListQuery;
import dev.lifeboat.api.views.DrillBody;
import dev.lifeboat.api.views.DrillListView;
import dev.lifeboat.api.views.DrillReportView;
import dev.lifeboat.api.views.DrillSummaryView;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.catalog.DrillReportStore;
import dev.lifeboat.catalog.Page;
import dev.lifeboat.catalog.RunStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillReport;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.RunKind;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

/** DR drills: start one, list the history with its trend, read a report as JSON or as a page for people. */
@Allowed(AccessRole.VIEWER)
@Path("/v1/drills")
@Produces(MediaType.APPLICATION_JSON)
public final class DrillsResource {
  private static final int MAX_REGION_CHARS = 63;

  private final Preflight preflight;
  private final DrillValidator validator;
  private final DrillStarter starter;
  private final DrillReportStore reports;
  private final RunStore runs;
  private final Clock clock;

  public DrillsResource(DrillValidator validator, DrillStarter starter, DrillReportStore reports, RunStore runs,
      Preflight preflight,
      Clock clock) {
    this.validator = validator;
    this.starter = starter;
    this.reports = reports;
    this.runs = runs;
    this.clock = clock;
    this.preflight = preflight;
  }

  /** Validates everything (suite, region, copy), then records the run and starts its workflow. */
  @Allowed(AccessRole.OPERATOR)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response drill(DrillBody body, @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @Context Idempotency idempotency, @Context SecurityContext security, @Context ContainerRequestContext request) {
    DrillRequest drill = validator.validate(body, Requester.of(security));
    preflight.require(drill.instance(), Collections.singletonList(drill.region()),
        Preflight.NOT_NEEDED_TO_RESTORE);
    return idempotency.claim(idempotencyKey, body, DrillStarter.newRunId(drill.instance()),
        security, request)
        .start(request, (runId, once) -> starter.start(runId, drill, once));
  }

  /** Newest first; the trend covers the newest drills of the same filters whatever the page. */
  @GET
  public DrillListView list(
      @QueryParam("instance") String instance,
      @QueryParam("region") String region,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    RunListQuery query = RunListQuery.parse(null, null, instance, limit, cursor);
    String regionFilter = region(region);
    String instanceFilter = query.filter().instance();
    Page<DrillReport> page = reports.list(instanceFilter, regionFilter, query.cursor(), query.limit());
    return new DrillListView(page.items().stream().map(DrillSummaryView::of).toList(),
        DrillTrend.of(reports.recent(instanceFilter, regionFilter, DrillTrend.WINDOW)), page.nextCursor());
  }

  @GET
  @Path("/{id}")
  public DrillReportView get(@PathParam("id") String runId) {
    return DrillReportView.of(find(runId));
  }

  /** The report as a self-contained page: header, timeline, checks, RTO/RPO history as inline SVG. */
  @GET
  @Path("/{id}/report.html")
  @Produces(MediaType.TEXT_HTML)
  public Response html(@PathParam("id") String runId) {
    DrillReport report = find(runId);
    String page = DrillReportPage.render(report,
        reports.recent(report.instance(), report.region(), DrillReportPage.HISTORY), clock.instant());
    return ReportPage.ok(page);
  }

  private DrillReport find(String runId) {
    Optional<DrillReport> report = reports.find(runId);
    if (report.isPresent()) {
      return report.get();
    }
    boolean running = runs.find(runId).filter(run -> run.kind() == RunKind.DRILL).isPresent();
    throw new LifeboatException(ErrorType.DRILL_NOT_FOUND, running
        ? "Drill " + runId + " has no report yet: the report is stored when the drill ends. Follow it at "
            + RunView.path(runId) + "."
        : "No drill has the id '" + runId + "'; GET /v1/drills lists them.",
        running ? Map.of("runId", runId, "run", RunView.path(runId)) : Map.of("runId", runId));
  }

  private static String region(String region) {
    if (region == null || region.isBlank()) {
      return null;
    }
    if (region.length() > MAX_REGION_CHARS || region.chars().anyMatch(Character::isISOControl)) {
      throw InvalidRequest.field("region", "region must be a region name of at most " + MAX_REGION_CHARS
          + " characters, e.g. dr-1.");
    }
    return region.strip();
  }
}
