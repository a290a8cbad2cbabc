package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.audit.AuditFilter;
import dev.lifeboat.api.runs.RunStarter;
import dev.lifeboat.api.snapshots.SnapshotListing;
import dev.lifeboat.api.snapshots.SnapshotStarter;
import dev.lifeboat.api.snapshots.SnapshotValidator;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.api.views.SnapshotBody;
import dev.lifeboat.api.views.SnapshotListView;
import dev.lifeboat.common.model.SnapshotRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.slf4j.MDC;

/** Snapshots: take one now, and list them with their DR copies. */
@Path("/v1/snapshots")
@Produces(MediaType.APPLICATION_JSON)
public final class SnapshotsResource {
  private final SnapshotValidator validator;
  private final SnapshotStarter starter;
  private final SnapshotListing listing;

  public SnapshotsResource(SnapshotValidator validator, SnapshotStarter starter, SnapshotListing listing) {
    this.validator = validator;
    this.starter = starter;
    this.listing = listing;
  }

  /**
   * Validates everything, then starts the snapshot run of this minute: 202 when this request
   * started it, 200 with the same run when a request of the same minute already did.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response snapshot(SnapshotBody body, @Context HttpHeaders headers, @Context ContainerRequestContext request) {
    SnapshotRequest snapshot = validator.validate(body, Requester.of(headers));
    Instant minute = starter.minute();
    String runId = SnapshotStarter.runId(snapshot.instances().get(0), minute);
    AuditFilter.recordRunId(request, runId);
    try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
      RunStarter.Started started = starter.start(snapshot, minute);
      return Response.status(started.created() ? Response.Status.ACCEPTED : Response.Status.OK)
          .entity(RunView.of(started.run()))
          .location(URI.create(RunView.path(runId)))
          .build();
    }
  }

  /** Newest first; the home region with DR copies, or one DR region with {@code region}. */
  @GET
  public SnapshotListView list(
      @QueryParam("instance") String instance,
      @QueryParam("region") String region,
      @QueryParam("olderThan") String olderThan) {
    return listing.list(instance, region, olderThan);
  }
}
