package dev.lifeboat.api.resources;

import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.Allowed;
import dev.lifeboat.api.preflight.Preflight;
import dev.lifeboat.common.model.PreflightCheck;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * Checks now, without changing anything, what runs will need from the platform: credentials,
 * instances and their automated backups, DR keys, subnet and security groups, quotas.
 */
@Path("/v1/preflight")
@Produces(MediaType.APPLICATION_JSON)
public final class PreflightResource {
  private final Preflight preflight;

  public PreflightResource(Preflight preflight) {
    this.preflight = preflight;
  }

  /** The findings; {@code ok} is false when any check failed (the request itself still succeeded). */
  public record PreflightView(boolean ok, String platform, Instant checkedAt, long failed, long warnings,
      List<PreflightCheck> checks) {}

  @POST
  @Allowed(AccessRole.OPERATOR)
  public PreflightView run() {
    Preflight.Result result = preflight.run();
    return new PreflightView(result.ok(), result.platform(), result.checkedAt(),
        result.count(PreflightCheck.Status.FAIL), result.count(PreflightCheck.Status.WARN), result.checks());
  }
}
