package dev.lifeboat.api.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Bearer JWTs of an OIDC issuer, verified against its JWKS.
 *
 * @param issuer the exact {@code iss} every token must carry
 * @param jwksUri where the issuer publishes its signing keys (fetched, cached, refreshed on an unknown key id)
 * @param audience the {@code aud} every token must name, e.g. {@code lifeboat}
 * @param nameClaim the claim recorded as the caller's name ({@code sub}, or {@code email} ...)
 * @param rolesClaim the claim holding roles or groups: a list of strings, or one space-separated string
 * @param roleMapping claim values to roles (an IdP group such as {@code dba-oncall} to {@code operator});
 *     values that are role names count as those roles too
 * @param clockSkew how far {@code exp} and {@code nbf} may be off
 */
public record JwtSettings(
    String issuer,
    URI jwksUri,
    String audience,
    String nameClaim,
    String rolesClaim,
    Map<String, AccessRole> roleMapping,
    Duration clockSkew) {

  public JwtSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(jwksUri, "jwksUri");
    Objects.requireNonNull(audience, "audience");
    nameClaim = nameClaim == null ? "sub" : nameClaim;
    rolesClaim = rolesClaim == null ? "roles" : rolesClaim;
    roleMapping = roleMapping == null ? Map.of() : Map.copyOf(roleMapping);
    clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
  }
}
