package dev.lifeboat.api.resources;

import dev.lifeboat.api.auth.PublicEndpoint;
import dev.lifeboat.api.openapi.OpenApiDocument;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the OpenAPI document, generated on first request from the resources this server runs,
 * outside {@code /v1} because it describes the API, not one version of it. JSON is the document's
 * address; the YAML is the same document for people and tools that prefer it.
 */
@PublicEndpoint
@Path("/")
public final class OpenApiResource {
  public static final String JSON_PATH = "/openapi.json";
  public static final String YAML_PATH = "/openapi.yaml";
  public static final String YAML_MEDIA_TYPE = "application/yaml";
  private static final Logger LOG = LoggerFactory.getLogger(OpenApiResource.class);

  private volatile OpenApiDocument document;

  @GET
  @Path("openapi.json")
  @Produces(MediaType.APPLICATION_JSON)
  public byte[] json(@Context Configuration configuration) {
    return document(configuration).json();
  }

  @GET
  @Path("openapi.yaml")
  @Produces(YAML_MEDIA_TYPE)
  public byte[] yaml(@Context Configuration configuration) {
    return document(configuration).yaml();
  }

  private OpenApiDocument document(Configuration configuration) {
    OpenApiDocument current = document;
    if (current == null) {
      synchronized (this) {
        current = document;
        if (current == null) {
          current = OpenApiDocument.generate(resources(configuration));
          // the tests keep this empty; a server that still finds some serves the document without that prose
          current.problems().forEach(problem -> LOG.warn("OpenAPI document: {}", problem));
          document = current;
        }
      }
    }
    return current;
  }

  /** Lifeboat's resource classes registered with Jersey: the document describes exactly what is served. */
  private static Set<Class<?>> resources(Configuration configuration) {
    Set<Class<?>> resources = new TreeSet<>(Comparator.comparing(Class::getName));
    Stream.concat(configuration.getClasses().stream(), configuration.getInstances().stream().map(Object::getClass))
        .filter(type -> type.isAnnotationPresent(Path.class) && type.getPackageName().startsWith("dev.lifeboat"))
        .forEach(resources::add);
    return resources;
  }
}
