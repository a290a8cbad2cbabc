package dev.lifeboat.api.auth;

import dev.lifeboat.api.errors.ErrorResponses;
import dev.lifeboat.common.ErrorType;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Locale;
import java.util.Map;

/**
 * Authentication: the {@code Authorization: Bearer} token becomes the request's {@link Caller};
 * a request without a valid one is answered 401 in the API's error shape, with the reason (never
 * the token) and a {@code WWW-Authenticate} challenge.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerAuthFilter implements ContainerRequestFilter {
  public static final String SCHEME = "Bearer";
  static final String REALM = "lifeboat";

  private final TokenVerifier verifier;

  public BearerAuthFilter(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      refuse(request, "This endpoint needs a bearer token: send 'Authorization: Bearer <token>' "
          + "(lifeboat dev prints one per role; the CLI reads LIFEBOAT_TOKEN).", false);
      return;
    }
    String value = header.strip();
    if (!value.toLowerCase(Locale.ROOT).startsWith(SCHEME.toLowerCase(Locale.ROOT) + " ")) {
      refuse(request, "The Authorization header must be 'Bearer <token>'; other schemes are not accepted.", false);
      return;
    }
    String token = value.substring(SCHEME.length()).strip();
    TokenVerifier.Verification verification = token.isEmpty()
        ? new TokenVerifier.Verification(null, "The bearer token is empty.")
        : verifier.verify(token);
    if (verification.caller() == null) {
      refuse(request, verification.refusal(), true);
      return;
    }
    request.setSecurityContext(new CallerContext(verification.caller(), request.getSecurityContext().isSecure()));
  }

  private static void refuse(ContainerRequestContext request, String reason, boolean tokenPresented) {
    String challenge = SCHEME + " realm=\"" + REALM + "\"" + (tokenPresented ? ", error=\"invalid_token\"" : "");
    request.abortWith(Response.fromResponse(ErrorResponses.of(ErrorType.UNAUTHENTICATED, reason, Map.of()))
        .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
        .build());
  }

  /** The request's security context once its caller is known. */
  private record CallerContext(Caller caller, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return AccessRole.find(role).map(caller::may).orElse(false);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return SCHEME;
    }
  }
}
