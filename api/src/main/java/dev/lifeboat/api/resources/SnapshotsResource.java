package dev.lifeboat.api.resources;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.preflight.Preflight;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.snapshots.SnapshotListing;
import dev.lifeboat.api.snapshots.SnapshotStarter;
import dev.lifeboat.api.snapshots.SnapshotValidator;
import dev.lifeboat.api.views.SnapshotBody;
import dev.lifeboat.api.views.SnapshotListView;
import dev.lifeboat.common.model.SnapshotRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** Snapshots: take one now, and list them with their DR copies. */
@Allowed(AccessRole.VIEWER)
@Path("/v1/snapshots")
@Produces(MediaType.APPLICATION_JSON)
public final class SnapshotsResource {
  private final Preflight preflight;
  private final SnapshotValidator validator;
  private final SnapshotStarter starter;
  private final SnapshotListing listing;

  public SnapshotsResource(SnapshotValidator validator, SnapshotStarter starter, SnapshotListing listing,
      Preflight preflight) {
    this.validator = validator;
    this.starter = starter;
    this.listing = listing;
    this.preflight = preflight;
  }

  /**
   * Validates everything, then starts the snapshot run of this minute: 202 when this request
   * started it, 200 with the same run when a request of the same minute already did. A repeated
   * Idempotency-Key answers the run of the minute it was first sent in.
   */
  @Allowed(AccessRole.OPERATOR)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response snapshot(SnapshotBody body, @HeaderParam(Idempotency.HEADER) String idempotencyKey,
      @Context Idempotency idempotency, @Context SecurityContext security, @Context ContainerRequestContext request) {
    SnapshotRequest snapshot = validator.validate(body, Requester.of(security));
    for (String instance : snapshot.instances()) {
      preflight.require(instance, snapshot.drRegions(), Preflight.NOT_NEEDED_TO_SNAPSHOT);
    }
    return idempotency.claim(idempotencyKey, body,
        SnapshotStarter.runId(snapshot.instances().get(0), starter.minute()), security, request)
        .start(request, (runId, once) -> starter.start(snapshot, SnapshotStarter.minuteOf(runId)));
  }

  /** Newest first; the home region with DR copies, or one DR region with {@code region}. */
  @GET
  public SnapshotListView list(
      @QueryParam("instance") String instance,
      @QueryParam("region") String region,
      @QueryParam("olderThan") String olderThan,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return listing.list(instance, region, olderThan, limit, cursor);
  }
}
