package dev.lifeboat.api.auth;

import dev.lifeboat.api.ResourcePaths;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every resource method behind authentication and its declared role ({@link Allowed}),
 * except those marked {@link PublicEndpoint}. A method that declares neither is closed to all.
 */
public final class AccessControl implements DynamicFeature {
  private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

  private final BearerAuthFilter authentication;

  public AccessControl(TokenVerifier verifier) {
    this.authentication = new BearerAuthFilter(verifier);
  }

  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    Method method = resourceInfo.getResourceMethod();
    Class<?> type = resourceInfo.getResourceClass();
    if (method == null || type == null || isPublic(type, method)) {
      return;
    }
    Optional<AccessRole> required = required(type, method);
    String action = ResourcePaths.httpMethod(method) + " " + ResourcePaths.template(type, method);
    if (required.isEmpty()) {
      LOG.error("{} ({}.{}) declares no role: it is closed to every caller", action, type.getSimpleName(),
          method.getName());
    }
    context.register(authentication);
    context.register(new RoleFilter(required.orElse(null), action));
  }

  public static boolean isPublic(Class<?> type, Method method) {
    return method.isAnnotationPresent(PublicEndpoint.class) || type.isAnnotationPresent(PublicEndpoint.class);
  }

  /** The role {@code method} declares (its own, else its class's); empty for public and undeclared ones. */
  public static Optional<AccessRole> required(Class<?> type, Method method) {
    if (isPublic(type, method)) {
      return Optional.empty();
    }
    Allowed allowed = method.isAnnotationPresent(Allowed.class)
        ? method.getAnnotation(Allowed.class) : type.getAnnotation(Allowed.class);
    return Optional.ofNullable(allowed).map(Allowed::value);
  }
}
