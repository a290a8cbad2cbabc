package dev.lifeboat.api;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/** The endpoints a resource class declares, as "METHOD /path/{template}", read from its annotations. */
public final class ResourcePaths {
  private ResourcePaths() {}

  /** One endpoint: an HTTP method and the full path template. */
  public record Endpoint(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  public static List<Endpoint> of(Class<?> resource) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Method method : resource.getMethods()) {
      String httpMethod = httpMethod(method);
      if (httpMethod != null) {
        endpoints.add(new Endpoint(httpMethod, template(resource, method)));
      }
    }
    return endpoints;
  }

  /** {@code /v1/runs/{id}/release} from the class's and the method's {@code @Path}. */
  public static String template(Class<?> resource, Method method) {
    return join(pathOf(resource.getAnnotation(Path.class)), pathOf(method.getAnnotation(Path.class)));
  }

  public static String httpMethod(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  private static String pathOf(Path path) {
    return path == null ? "" : path.value();
  }

  private static String join(String first, String second) {
    String joined = ("/" + first + "/" + second).replaceAll("/+", "/");
    return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
  }
}
