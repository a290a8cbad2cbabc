package dev.lifeboat.api.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.lifeboat.common.ErrorType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A request body Jackson could not read, answered as 400 naming the field (or the line and column)
 * and the fix. The messages are ours: Jackson's name Java types the caller never sees.
 */
public final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {

  @Override
  public Response toResponse(JsonProcessingException e) {
    Map<String, Object> details = new LinkedHashMap<>();
    String message;
    if (e instanceof UnrecognizedPropertyException unknown) {
      String field = path(unknown);
      List<String> allowed = known(unknown.getKnownPropertyIds());
      details.put("field", field);
      details.put("allowed", allowed);
      message = "Unknown field '" + field + "' in the request body. Remove it; allowed fields: "
          + String.join(", ", allowed) + ".";
    } else if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      String field = path(mismatch);
      details.put("field", field);
      details.put("expected", jsonType(mismatch.getTargetType()));
      message = "Field '" + field + "' must be " + jsonType(mismatch.getTargetType()) + ".";
    } else if (e instanceof DatabindException) {
      message = "The request body must be a JSON object with the documented fields (see GET /openapi.json).";
    } else {
      JsonLocation at = e.getLocation();
      if (at != null && at.getLineNr() > 0) {
        details.put("line", at.getLineNr());
        details.put("column", at.getColumnNr());
      }
      message = "The request body is not valid JSON"
          + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "")
          + ": " + firstLine(e.getOriginalMessage())
          + ". Send one JSON object, e.g. {\"instance\": \"techcorp-primary\"}.";
    }
    return ErrorResponses.of(ErrorType.INVALID_REQUEST, message, details);
  }

  /** {@code a.b[0].c}: where in the body the problem is. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static List<String> known(Collection<Object> ids) {
    return ids == null ? List.of() : ids.stream().map(Objects::toString).sorted().collect(Collectors.toList());
  }

  private static String jsonType(Class<?> type) {
    if (type == null) {
      return "a value of the documented type";
    }
    if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable input";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
