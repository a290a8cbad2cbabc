package dev.lifeboat.api.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lifeboat.api.Requester;
import dev.lifeboat.api.ResourcePaths;
import dev.lifeboat.api.audit.AuditFilter;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.RunView;
import dev.lifeboat.catalog.IdempotencyKeyStore;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The {@code Idempotency-Key} header of the POSTs that start runs. The same key sent again by the
 * same caller with the same request answers the run the first request started, with the status
 * it got and {@code Idempotent-Replayed: true}, instead of starting another; sent with a different
 * request it is refused (409 {@code IDEMPOTENCY_KEY_REUSED}). The key is reserved with the run id
 * before the run is recorded or started, so a first request that failed in between leaves a run
 * id the next request with its key starts. Without the header nothing changes. Keys are the
 * caller's own and remembered for {@link IdempotencyKeyStore#RETENTION}.
 */
public final class Idempotency {
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  static final int MAX_KEY_CHARS = 200;

  private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
  /** Properties and map keys sorted: the same request in other whitespace or field order reads the same. */
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private final IdempotencyKeyStore keys;

  public Idempotency(IdempotencyKeyStore keys) {
    this.keys = keys;
  }

  /** Registered with Jersey, makes this the {@code @Context Idempotency} of resource methods. */
  public AbstractBinder binder() {
    Idempotency idempotency = this;
    return new AbstractBinder() {
      @Override
      protected void configure() {
        bind(idempotency).to(Idempotency.class);
      }
    };
  }

  /**
   * Decides which run a validated request names: {@code newRunId}, or the run an earlier request
   * with the same key reserved. Call it after validation (an invalid request reserves nothing) and
   * before the run is recorded or started.
   *
   * @param key the header's value; null when the request has none
   * @param body the parsed body: its canonical JSON and the endpoint make the request's fingerprint
   * @throws LifeboatException INVALID_REQUEST for a malformed key; IDEMPOTENCY_KEY_REUSED when the
   *     caller sent the key before with a different request
   */
  public Claim claim(String key, Object body, String newRunId, SecurityContext security,
      ContainerRequestContext request) {
    if (key == null) {
      return new Claim(null, null, newRunId, false, null);
    }
    check(key, request);
    String principal = Requester.of(security);
    String endpoint = endpoint(request);
    String fingerprint = fingerprint(endpoint, body);
    IdempotencyKeyStore.Reservation reservation = keys.reserve(principal, key, fingerprint, newRunId);
    IdempotencyKeyStore.Entry entry = reservation.entry();
    if (reservation.reserved()) {
      return new Claim(principal, key, newRunId, false, null);
    }
    if (!entry.fingerprint().equals(fingerprint)) {
      throw InvalidRequest.field(ErrorType.IDEMPOTENCY_KEY_REUSED, HEADER, "Idempotency-Key '" + key
          + "' was used at " + entry.createdAt() + " for a different request (run " + entry.runId()
          + "); send this request with a new key.",
          Map.of("runId", entry.runId(), "usedAt", entry.createdAt().toString()));
    }
    LOG.info("{} sent Idempotency-Key '{}' of run {} again to {}; answering that run", principal, key,
        entry.runId(), endpoint);
    return new Claim(principal, key, entry.runId(), true, entry.status());
  }

  /** SHA-256 (hex) of the endpoint ("POST /v1/restores") and the body written as canonical JSON. */
  public static String fingerprint(String endpoint, Object body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(endpoint.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      sha.update(CANONICAL.writeValueAsBytes(body));
      return HexFormat.of().formatHex(sha.digest());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static void check(String key, ContainerRequestContext request) {
    List<String> sent = request.getHeaders().get(HEADER);
    String problem = sent != null && sent.size() > 1 ? "was sent " + sent.size() + " times"
        : key.isEmpty() ? "is empty"
        : key.length() > MAX_KEY_CHARS ? "has " + key.length() + " characters"
        : key.chars().anyMatch(c -> c < 0x20 || c > 0x7e) ? "holds a character that is not printable ASCII"
        : null;
    if (problem != null) {
      throw InvalidRequest.field(HEADER, "The Idempotency-Key header must be one value of 1 to " + MAX_KEY_CHARS
          + " printable ASCII characters (a UUID, say); this one " + problem + ".", Map.of("maxChars", MAX_KEY_CHARS));
    }
  }

  /** The matched template, as the audit log names it; the same for any spelling of the path. */
  private static String endpoint(ContainerRequestContext request) {
    if (request.getUriInfo() instanceof ExtendedUriInfo uri && uri.getMatchedResourceMethod() != null) {
      Invocable invocable = uri.getMatchedResourceMethod().getInvocable();
      return request.getMethod() + " "
          + ResourcePaths.template(invocable.getHandler().getHandlerClass(), invocable.getDefinitionMethod());
    }
    return request.getMethod() + " /" + request.getUriInfo().getPath();
  }

  /** Which run a request names, and how to answer once it is started. */
  public final class Claim {
    private final String principal;
    private final String key;
    private final String runId;
    private final boolean replayed;
    private final Integer answered;

    private Claim(String principal, String key, String runId, boolean replayed, Integer answered) {
      this.principal = principal;
      this.key = key;
      this.runId = runId;
      this.replayed = replayed;
      this.answered = answered;
    }

    /** The run to start, or to answer when it exists. */
    public String runId() {
      return runId;
    }

    /**
     * Whether an existing run of {@link #runId} is to be answered rather than refused: with a key,
     * a concurrent request with the same key may have started it first.
     */
    public boolean once() {
      return key != null;
    }

    /**
     * 202 with the run when this request started it, 200 when it existed; a repeated key gets the
     * status the first request got and {@code Idempotent-Replayed: true}.
     */
    /**
     * Starts the run (or finds it, see {@link #once}) with the audit entry and log lines naming
     * it, and answers as {@link #answer} does.
     *
     * @param start starts the run of the given id; the flag is {@link #once}
     */
    public Response start(ContainerRequestContext request, BiFunction<String, Boolean, RunStarter.Started> start) {
      AuditFilter.recordRunId(request, runId);
      try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", runId)) {
        return answer(start.apply(runId, once()));
      }
    }

    public Response answer(RunStarter.Started started) {
      int status = replayed && !started.created() && answered != null ? answered
          : (started.created() ? Response.Status.ACCEPTED : Response.Status.OK).getStatusCode();
      if (key != null && !replayed) {
        record(status);
      }
      Response.ResponseBuilder response = Response.status(status)
          .entity(RunView.of(started.run()))
          .location(URI.create(RunView.path(runId)));
      return replayed ? response.header(REPLAYED_HEADER, "true").build() : response.build();
    }

    private void record(int status) {
      try {
        keys.recordStatus(principal, key, runId, status);
      } catch (RuntimeException e) {
        // the run has started; a repeat of the key then answers with the status its own start gives
        LOG.warn("Status {} of run {} not recorded with its Idempotency-Key", status, runId, e);
      }
    }
  }
}
