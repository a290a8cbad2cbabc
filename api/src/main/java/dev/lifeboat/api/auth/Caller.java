package dev.lifeboat.api.auth;

import java.security.Principal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: the name recorded as requester and in the audit log, and its roles.
 *
 * @param via how the caller proved it: {@code token} (a static token of the configuration) or {@code jwt}
 */
public record Caller(String name, Set<AccessRole> roles, String via) implements Principal {
  public Caller {
    Objects.requireNonNull(name, "name");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  @Override
  public String getName() {
    return name;
  }

  public boolean may(AccessRole required) {
    return roles.stream().anyMatch(role -> role.grants(required));
  }

  public boolean isAdmin() {
    return roles.contains(AccessRole.ADMIN);
  }

  public String rolesText() {
    return AccessRole.names(roles);
  }
}
