package dev.lifeboat.api.views;

import dev.lifeboat.common.ErrorType;
import java.util.Map;

/**
 * The one error shape of the API, whatever failed.
 *
 * @param code the HTTP status, repeated so the body stands on its own in logs and tickets
 * @param error an {@link ErrorType} name, stable for programs to branch on
 * @param message what went wrong and how to fix it, for people
 * @param details machine-readable specifics, e.g. the offending {@code field}; never null
 */
public record ErrorBody(int code, String error, String message, Map<String, Object> details) {
  public static ErrorBody of(ErrorType type, String message, Map<String, Object> details) {
    return new ErrorBody(type.httpStatus(), type.name(), message, details == null ? Map.of() : details);
  }
}
