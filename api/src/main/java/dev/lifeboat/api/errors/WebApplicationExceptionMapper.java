package dev.lifeboat.api.errors;

import dev.lifeboat.common.ErrorType;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** Jersey's own refusals (unknown path, wrong method, not JSON ...) in the API's error shape. */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  private static final int MAX_PATH_CHARS = 200;

  @Context private UriInfo uriInfo;

  @Override
  public Response toResponse(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    String path = path();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("path", path);
    Response response = switch (status) {
      case 404 -> ErrorResponses.of(ErrorType.NOT_FOUND,
          "Nothing is served at " + path + ". The API lives under /v1; GET /openapi.json lists every endpoint.",
          details);
      case 405 -> {
        TreeSet<String> allowed = new TreeSet<>(original.getAllowedMethods());
        details.put("allowed", allowed);
        yield ErrorResponses.of(ErrorType.METHOD_NOT_ALLOWED,
            "That method is not allowed on " + path + "; allowed: " + String.join(", ", allowed) + ".", details);
      }
      case 415 -> ErrorResponses.of(ErrorType.UNSUPPORTED_MEDIA_TYPE,
          "The request body must be JSON: send it with Content-Type: application/json.", details);
      default -> ErrorResponses.of(status, status >= 500 ? ErrorType.INTERNAL : ErrorType.INVALID_REQUEST,
          describe(status), details);
    };
    if (status == 405 && original.getHeaderString(HttpHeaders.ALLOW) != null) {
      return Response.fromResponse(response).header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW))
          .build();
    }
    return response;
  }

  private String path() {
    String path = uriInfo == null ? "" : "/" + uriInfo.getPath();
    return path.length() > MAX_PATH_CHARS ? path.substring(0, MAX_PATH_CHARS) + "..." : path;
  }

  private static String describe(int status) {
    Response.StatusType type = Response.Status.fromStatusCode(status);
    return "The request was refused: " + status + (type == null ? "" : " " + type.getReasonPhrase()) + ".";
  }
}
