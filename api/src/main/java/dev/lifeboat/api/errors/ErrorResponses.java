package dev.lifeboat.api.errors;

import dev.lifeboat.api.audit.Secrets;
import dev.lifeboat.api.views.ErrorBody;
import dev.lifeboat.common.ErrorType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the one JSON error response every mapper answers with. */
public final class ErrorResponses {
  private ErrorResponses() {}

  /** A response with the type's own status. */
  public static Response of(ErrorType type, String message, Map<String, Object> details) {
    return of(type.httpStatus(), type, message, details);
  }

  /**
   * A response whose status differs from the type's, for HTTP statuses no type has (406, 413 ...).
   * Secrets a message or detail may quote from the request (a connection string sent as an
   * instance id, say) are masked: error bodies end up in terminals, tickets and chat.
   */
  public static Response of(int status, ErrorType type, String message, Map<String, Object> details) {
    Map<String, Object> masked = new LinkedHashMap<>();
    if (details != null) {
      details.forEach((key, value) -> masked.put(key, value instanceof String text ? Secrets.redactText(text) : value));
    }
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorBody(status, type.name(), message == null ? null : Secrets.redactText(message), masked))
        .build();
  }
}
