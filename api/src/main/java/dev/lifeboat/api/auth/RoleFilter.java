package dev.lifeboat.api.auth;

import dev.lifeboat.api.errors.ErrorResponses;
import dev.lifeboat.common.ErrorType;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authorization of one resource method: its caller must hold a role that grants {@code required};
 * with {@code required} null (a method that declares no role) nobody may call it.
 */
@Priority(Priorities.AUTHORIZATION)
final class RoleFilter implements ContainerRequestFilter {
  private final AccessRole required;
  private final String action;

  RoleFilter(AccessRole required, String action) {
    this.required = required;
    this.action = action;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getSecurityContext().getUserPrincipal() instanceof Caller caller)) {
      // the authentication filter runs first and answers 401 itself; this is only a second lock
      request.abortWith(ErrorResponses.of(ErrorType.UNAUTHENTICATED, "This endpoint needs a bearer token.", Map.of()));
      return;
    }
    if (required == null) {
      request.abortWith(ErrorResponses.of(ErrorType.FORBIDDEN, action + " declares no role, so nobody may call it; "
          + "this is a defect of the server, please report it.", Map.of("action", action)));
      return;
    }
    if (!caller.may(required)) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("action", action);
      details.put("required", required.wireName());
      details.put("roles", caller.roles().stream().sorted().map(AccessRole::wireName).toList());
      request.abortWith(ErrorResponses.of(ErrorType.FORBIDDEN, action + " needs the " + required.wireName()
          + " role; " + caller.name() + " has " + (caller.roles().isEmpty() ? "no role" : caller.rolesText())
          + ". Ask an admin for that role, or have someone who holds it do this.", details));
    }
  }
}
