package dev.lifeboat.api.errors;

import dev.lifeboat.common.ErrorType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything no other mapper knows: a bug or an outage we did not foresee. The caller gets an
 * error id to quote, the log gets the stack trace under that id; the body never carries either
 * the trace or the exception's message, which may name internals.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    String errorId = UUID.randomUUID().toString().substring(0, 12);
    LOG.error("Unexpected failure, error id {}", errorId, e);
    return ErrorResponses.of(ErrorType.INTERNAL,
        "An unexpected error occurred. Quote error id " + errorId + " when you report it.",
        Map.of("errorId", errorId));
  }
}
