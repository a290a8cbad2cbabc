package dev.lifeboat.api.resources;

import dev.lifeboat.api.ListPages;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.InstanceListView;
import dev.lifeboat.api.views.InstanceView;
import dev.lifeboat.api.views.RestoreWindowView;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.platform.Platform;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;

/** The instances the platform manages and the times each can be restored to. */
@Allowed(AccessRole.VIEWER)
@Path("/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
public final class InstancesResource {
  private final Platform platform;

  public InstancesResource(Platform platform) {
    this.platform = platform;
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
}
