package dev.lifeboat.api.resources;

import dev.lifeboat.api.ListPages;
import dev.lifeboat.api.Requester;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.failover.RebuildStarter;
import dev.lifeboat.api.failover.RebuildValidator;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.views.InstanceListView;
import dev.lifeboat.api.views.InstanceView;
import dev.lifeboat.api.views.RebuildBody;
import dev.lifeboat.api.views.RestoreWindowView;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.failover.RebuildRequest;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.platform.Platform;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances the platform manages, the times each can be restored to, and the rebuild of a
 * former primary as a replica of the primary that replaced it.
 */
@Allowed(AccessRole.VIEWER)
@Path("/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public final class InstancesResource {
  private final Platform platform;
  private final RebuildValidator rebuildValidator;
  private final RebuildStarter rebuildStarter;

  public InstancesResource(Platform platform, RebuildValidator rebuildValidator, RebuildStarter rebuildStarter) {
    this.platform = platform;
    this.rebuildValidator = rebuildValidator;
    this.rebuildStarter = rebuildStarter;
  }

  private static final ListPages<InstanceInfo> PAGES = new ListPages<>("i1", instance -> List.of(instance.id()),
      key -> instance -> instance.id().compareTo(key.get(0)) > 0);

  /** By id; {@code limit} and {@code cursor} page through. */
  @GET
  public InstanceListView list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    List<InstanceInfo> sorted = platform.listInstances().stream()
        .sorted(Comparator.comparing(InstanceInfo::id)).toList();
    ListPages.Page<InstanceInfo> page = PAGES.page(sorted, cursor, limit);
    return new InstanceListView(page.items().stream().map(InstanceView::of).toList(), page.nextCursor());
  }

  @GET
  @Path("/{id}/restore-window")
  public RestoreWindowView restoreWindow(@PathParam("id") String instance) {
    if (!Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance", "'" + instance + "' is not an instance id, e.g. techcorp-primary.");
    }
    return RestoreWindowView.of(platform.restoreWindow(instance));
  }

  /**
   * After a failover, turns the old primary into a streaming replica of the new one (pg_rewind
   * where possible, a fresh base backup otherwise), its data directory kept aside first.
   */
  @POST
  @Path("/{id}/rebuild")
  @Allowed(AccessRole.OPERATOR)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response rebuild(@PathParam("id") String instance, RebuildBody body,
      @HeaderParam(Idempotency.HEADER) String idempotencyKey, @Context Idempotency idempotency,
      @Context SecurityContext security, @Context ContainerRequestContext request) {
    RebuildRequest rebuild = rebuildValidator.validate(instance, body, Requester.caller(security));
    // the path names the instance: the same body for another instance is another request
    Map<String, Object> fingerprinted = new LinkedHashMap<>();
    fingerprinted.put("instance", instance);
    fingerprinted.put("body", body);
    return idempotency.claim(idempotencyKey, fingerprinted, RebuildStarter.newRunId(instance), security, request)
        .start(request, (runId, once) -> {
          rebuildValidator.refuseSecondRebuild(instance, runId);
          return rebuildStarter.start(runId, rebuild, once);
        });
  }
}
