package dev.lifeboat.api.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI document, outside {@code /v1} because it describes the API, not one version of it. */
@Path("/openapi.yaml")
public final class OpenApiResource {
  public static final String DOCUMENT = "/openapi.yaml";
  public static final String MEDIA_TYPE = "application/yaml";

  private final byte[] document;

  public OpenApiResource() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is missing from the classpath");
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Produces(MEDIA_TYPE)
  public byte[] document() {
    return document.clone();
  }
}
