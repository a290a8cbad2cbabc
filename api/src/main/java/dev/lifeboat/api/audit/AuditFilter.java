package dev.lifeboat.api.audit;

import dev.lifeboat.api.Requester;
import dev.lifeboat.api.ResourcePaths;
import dev.lifeboat.api.auth.Caller;
import dev.lifeboat.api.errors.ErrorResponses;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.catalog.AuditLog;
import dev.lifeboat.common.ErrorType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one audit entry per mutating request, refused ones included: it keeps the body as it
 * arrived (before matching, so even a request to an unknown path or with broken JSON is kept) and
 * records the status actually answered. One filter, so no resource can forget it. The caller is
 * the authenticated one ({@code anonymous} when authentication refused the request); secrets in
 * the body are masked ({@link Secrets}); bodies over {@value #MAX_BODY_BYTES} bytes are refused
 * with 413 before anything parses them.
 */
@PreMatching
public final class AuditFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
  private static final String BODY = AuditFilter.class.getName() + ".body";
  private static final String RUN_ID = AuditFilter.class.getName() + ".runId";
  private static final Set<String> READ_ONLY = Set.of("GET", "HEAD", "OPTIONS");
  private static final int MAX_BODY_CHARS = 16_384;
  /** No request of this API comes near it; a bigger one is refused before anything reads it as JSON. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  private static final int MAX_PATH_CHARS = 200;

  private final AuditLog audit;

  @Context private ResourceInfo resourceInfo;
  @Context private HttpServletRequest servletRequest;

  public AuditFilter(AuditLog audit) {
    this.audit = audit;
  }

  /** Names the run a request created, for requests whose path carries no run id (a new restore). */
  public static void recordRunId(ContainerRequestContext request, String runId) {
    request.setProperty(RUN_ID, runId);
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    if (!mutating(request)) {
      return;
    }
    if (request.getLength() > MAX_BODY_BYTES) {
      tooLarge(request);
      return;
    }
    byte[] body = request.getEntityStream().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      tooLarge(request);
      return;
    }
    request.setEntityStream(new ByteArrayInputStream(body));
    request.setProperty(BODY, body);
  }

  private static void tooLarge(ContainerRequestContext request) {
    request.abortWith(ErrorResponses.of(ErrorType.REQUEST_TOO_LARGE, "The request body is larger than "
        + MAX_BODY_BYTES / 1024 + " KiB; no request of this API needs that much. Send only the documented fields.",
        Map.of("maxBytes", MAX_BODY_BYTES)));
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!mutating(request)) {
      return;
    }
    Caller caller = request.getSecurityContext() != null
        && request.getSecurityContext().getUserPrincipal() instanceof Caller known ? known : null;
    AuditEntry entry = new AuditEntry(null, null,
        caller == null ? Requester.ANONYMOUS : caller.name(),
        caller == null ? null : caller.rolesText(),
        request.getMethod() + " " + path(request),
        runId(request),
        body(request),
        response.getStatus(),
        remoteAddress());
    try {
      audit.append(entry);
    } catch (RuntimeException e) {
      // the request has been acted on already; losing its trail must at least be loud
      LOG.error("Audit entry lost: {} by {} on run {} answered {}", entry.action(), entry.principal(), entry.runId(),
          entry.status(), e);
    }
  }

  private static boolean mutating(ContainerRequestContext request) {
    return !READ_ONLY.contains(request.getMethod());
  }

  /** The matched template ("/v1/runs/{id}/release") so entries group by action; the raw path otherwise. */
  private String path(ContainerRequestContext request) {
    if (resourceInfo != null && resourceInfo.getResourceMethod() != null) {
      return ResourcePaths.template(resourceInfo.getResourceClass(), resourceInfo.getResourceMethod());
    }
    String raw = "/" + request.getUriInfo().getPath();
    return raw.length() > MAX_PATH_CHARS ? raw.substring(0, MAX_PATH_CHARS) + "..." : raw;
  }

  private static String runId(ContainerRequestContext request) {
    Object recorded = request.getProperty(RUN_ID);
    if (recorded != null) {
      return recorded.toString();
    }
    return request.getUriInfo().getPathParameters().getFirst("id");
  }

  private static String body(ContainerRequestContext request) {
    if (!(request.getProperty(BODY) instanceof byte[] bytes) || bytes.length == 0) {
      return null;
    }
    String text = Secrets.redact(new String(bytes, StandardCharsets.UTF_8));
    return text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) + "...(truncated)" : text;
  }

  private String remoteAddress() {
    try {
      return servletRequest == null ? null : servletRequest.getRemoteAddr();
    } catch (IllegalStateException e) {
      // no servlet request behind this one (an in-memory test container)
      return null;
    }
  }
}
