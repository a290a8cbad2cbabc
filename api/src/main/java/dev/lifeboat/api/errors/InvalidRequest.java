package dev.lifeboat.api.errors;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A 400 that names the offending field in {@code details.field}, so a client can point at it. */
public final class InvalidRequest {
  private InvalidRequest() {}

  public static LifeboatException field(String field, String message) {
    return field(ErrorType.INVALID_REQUEST, field, message, Map.of());
  }

  public static LifeboatException field(String field, String message, Map<String, Object> more) {
    return field(ErrorType.INVALID_REQUEST, field, message, more);
  }

  public static LifeboatException field(ErrorType type, String field, String message, Map<String, Object> more) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("field", field);
    details.putAll(more);
    return new LifeboatException(type, message, details);
  }
}
