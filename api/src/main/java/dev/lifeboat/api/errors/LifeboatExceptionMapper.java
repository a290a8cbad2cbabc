package dev.lifeboat.api.errors;

import dev.lifeboat.common.LifeboatException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Typed failures: the type decides the status, the message already says what to do. */
public final class LifeboatExceptionMapper implements ExceptionMapper<LifeboatException> {
  private static final Logger LOG = LoggerFactory.getLogger(LifeboatExceptionMapper.class);

  @Override
  public Response toResponse(LifeboatException e) {
    if (e.type().httpStatus() >= 500) {
      // the caller sees the message; the operator needs the cause
      LOG.warn("Answering {}: {}", e.type(), e.getMessage(), e);
    }
    return ErrorResponses.of(e.type(), e.getMessage(), e.details());
  }
}
