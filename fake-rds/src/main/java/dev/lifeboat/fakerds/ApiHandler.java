package dev.lifeboat.fakerds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lifeboat.common.LifeboatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every API request: the SigV4 scope says region and service, the body (and query string) the
 * action; then faults (latency, throttling, an injected error), then the service. Errors answer in
 * the protocol of the service: RDS and EC2 XML, KMS JSON.
 */
final class ApiHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private static final int MAX_BODY = 1 << 20;

  private enum Protocol { RDS, EC2, KMS }

  private final Backend b;
  private final RdsService rds;
  private final KmsService kms;
  private final Ec2Service ec2;

  ApiHandler(Backend backend) {
    this.b = backend;
    this.rds = new RdsService(backend);
    this.kms = new KmsService(backend);
    this.ec2 = new Ec2Service(backend);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString();
    Protocol protocol = Protocol.RDS;
    try (exchange) {
      try {
        String body = readBody(exchange);
        SigV4Scope scope = SigV4Scope.parse(exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestURI().getRawQuery());
        protocol = switch (scope.service()) {
          case "rds" -> Protocol.RDS;
          case "ec2" -> Protocol.EC2;
          case "kms" -> Protocol.KMS;
          default -> throw new ApiError(400, "InvalidParameterValue", "This fake serves rds, kms and ec2; the request"
              + " was signed for " + scope.service());
        };
        QueryParams params = protocol == Protocol.KMS ? null
            : QueryParams.parse(body).with(QueryParams.parse(exchange.getRequestURI().getRawQuery()).asMap());
        String action = protocol == Protocol.KMS
            ? KmsService.action(exchange.getRequestHeaders().getFirst("X-Amz-Target"))
            : params.require("Action");
        b.stats.called(action);
        applyFaults(action, protocol);
        if (!b.platform.regions().contains(scope.region())) {
          throw new ApiError(403, "SignatureDoesNotMatch", "Credential should be scoped to a valid region, not '"
              + scope.region() + "'; this fake serves " + b.platform.regions());
        }
        String answer = switch (protocol) {
          case RDS -> rds.handle(action, scope.region(), params, requestId);
          case EC2 -> ec2.handle(action, scope.region(), params, requestId);
          case KMS -> kms.handle(action, scope.region(), body);
        };
        send(exchange, 200, protocol, answer, requestId);
      } catch (ApiError e) {
        send(exchange, e.status(), protocol, errorBody(protocol, e, requestId), requestId);
      } catch (LifeboatException e) {
        ApiError mapped = ApiError.from(e);
        send(exchange, mapped.status(), protocol, errorBody(protocol, mapped, requestId), requestId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ApiError stopped = new ApiError(503, "ServiceUnavailable", "The fake is stopping");
        send(exchange, 503, protocol, errorBody(protocol, stopped, requestId), requestId);
      } catch (RuntimeException e) {
        log.warn("Request {} failed unexpectedly", requestId, e);
        ApiError internal = new ApiError(500, "InternalFailure", "The fake failed: " + e);
        send(exchange, 500, protocol, errorBody(protocol, internal, requestId), requestId);
      }
    }
  }

  private void applyFaults(String action, Protocol protocol) throws InterruptedException {
    Duration latency = b.faults.latency();
    if (!latency.isZero()) {
      Thread.sleep(latency.toMillis());
    }
    if (b.faults.throttleThisCall()) {
      b.stats.throttledOne();
      throw switch (protocol) {
        case RDS -> new ApiError(400, "Throttling", "Rate exceeded");
        case KMS -> new ApiError(400, "ThrottlingException", "Rate exceeded");
        case EC2 -> new ApiError(503, "RequestLimitExceeded", "Request limit exceeded.");
      };
    }
    Faults.InjectedError injected = b.faults.takeError(action).orElse(null);
    if (injected != null) {
      throw new ApiError(injected.httpStatus(), injected.code(), injected.message());
    }
  }

  private static String errorBody(Protocol protocol, ApiError e, String requestId) {
    return switch (protocol) {
      case RDS -> RdsXml.error(e, requestId);
      case EC2 -> Ec2Service.error(e, requestId);
      case KMS -> KmsService.error(e);
    };
  }

  private static String readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw ApiError.invalidParameter("The request body is larger than " + MAX_BODY + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static void send(HttpExchange exchange, int status, Protocol protocol, String body, String requestId)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", protocol == Protocol.KMS ? KmsService.CONTENT_TYPE
        : "text/xml;charset=UTF-8");
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
