package dev.lifeboat.api.errors;

import dev.lifeboat.common.ErrorType;
import io.temporal.failure.TemporalException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal client failures that no resource translated: an outage is 503 (retry later), anything
 * else is unexpected.
 */
public final class TemporalExceptionMapper implements ExceptionMapper<TemporalException> {
  private static final Logger LOG = LoggerFactory.getLogger(TemporalExceptionMapper.class);

  private final UnexpectedExceptionMapper unexpected = new UnexpectedExceptionMapper();

  @Override
  public Response toResponse(TemporalException e) {
    if (TemporalFailures.unavailable(e)) {
      LOG.warn("Temporal is unavailable: {}", TemporalFailures.summary(e));
      return ErrorResponses.of(ErrorType.TEMPORAL_UNAVAILABLE,
          "The Temporal service cannot be reached (" + TemporalFailures.summary(e) + "). Retry in a moment.",
          Map.of());
    }
    return unexpected.toResponse(e);
  }
}
