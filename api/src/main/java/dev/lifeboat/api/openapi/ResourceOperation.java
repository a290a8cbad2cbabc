package dev.lifeboat.api.openapi;

import dev.lifeboat.api.ResourcePaths;
import dev.lifeboat.api.auth.AccessControl;
import dev.lifeboat.api.auth.AccessRole;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One resource method as the document describes it: HTTP method and path template from its JAX-RS
 * annotations, the role it needs from {@code @Allowed} / {@code @PublicEndpoint}.
 */
public record ResourceOperation(Class<?> resource, Method method, String httpMethod, String path) {

  /** Every resource method of {@code resources}, ordered by path then method. */
  public static List<ResourceOperation> of(Collection<Class<?>> resources) {
    List<ResourceOperation> operations = new ArrayList<>();
    for (Class<?> resource : resources) {
      for (Method method : resource.getMethods()) {
        String http = ResourcePaths.httpMethod(method);
        if (http != null) {
          operations.add(new ResourceOperation(resource, method, http, ResourcePaths.template(resource, method)));
        }
      }
    }
    operations.sort(Comparator.comparing(ResourceOperation::path).thenComparing(ResourceOperation::httpMethod));
    return operations;
  }

  /** "GET /v1/runs/{id}". */
  public String key() {
    return httpMethod + " " + path;
  }

  /** The key of this operation under its path in an OpenAPI document: "get", "post"... */
  public String documentMethod() {
    return httpMethod.toLowerCase(Locale.ROOT);
  }

  public boolean isPublic() {
    return AccessControl.isPublic(resource, method);
  }

  /** Empty for public operations and for those that declare no role (closed to everybody). */
  public Optional<AccessRole> role() {
    return AccessControl.required(resource, method);
  }

  /** {@code runs_list}: unique per resource method, stable while the class and method keep their names. */
  public String defaultOperationId() {
    return stem() + "_" + method.getName();
  }

  /** {@code table-recoveries} for {@code TableRecoveriesResource}. */
  public String defaultTag() {
    return stem().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private String stem() {
    String name = resource.getSimpleName().replaceFirst("Resource$", "");
    return Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
