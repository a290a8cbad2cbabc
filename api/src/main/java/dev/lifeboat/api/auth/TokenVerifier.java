package dev.lifeboat.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.dropwizard.auth.Authenticator;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a bearer token into a {@link Caller}, or says why it cannot: a static token of the
 * configuration (compared by hash), else, when an issuer is configured and the token has the shape
 * of a JWT, a JWT verified against the issuer's keys (signature, {@code iss}, {@code aud},
 * {@code exp}, {@code nbf}). The reason goes back to the caller, never the token.
 */
public final class TokenVerifier implements Authenticator<String, Caller> {
  /** Asymmetric algorithms only: a shared HMAC secret would let anyone holding it mint tokens. */
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
      JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

  /** The caller, or the reason the token was refused. */
  public record Verification(Caller caller, String refusal) {
    static Verification of(Caller caller) {
      return new Verification(caller, null);
    }

    static Verification refused(String reason) {
      return new Verification(null, reason);
    }
  }

  private final Map<String, Caller> byHash = new HashMap<>();
  private final Set<String> staticNames = new HashSet<>();
  private final JwtSettings jwt;
  private final DefaultJWTProcessor<SecurityContext> jwtProcessor;

  public TokenVerifier(AuthSettings settings) {
    settings.tokens().forEach(token -> byHash.put(token.sha256(), token.caller()));
    settings.tokens().forEach(token -> staticNames.add(token.name()));
    this.jwt = settings.jwt();
    this.jwtProcessor = jwt == null ? null : processor(jwt, keys(jwt));
  }

  /** With the issuer's keys from {@code keys} instead of its JWKS address (tests). */
  public TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys) {
    settings.tokens().forEach(token -> byHash.put(token.sha256(), token.caller()));
    settings.tokens().forEach(token -> staticNames.add(token.name()));
    this.jwt = settings.jwt();
    this.jwtProcessor = jwt == null ? null : processor(jwt, keys);
  }

  @Override
  public Optional<Caller> authenticate(String token) {
    return Optional.ofNullable(verify(token).caller());
  }

  public Verification verify(String token) {
    Caller caller = byHash.get(StaticToken.hash(token));
    if (caller != null) {
      return Verification.of(caller);
    }
    if (jwtProcessor == null || token.chars().filter(c -> c == '.').count() != 2) {
      return Verification.refused("The bearer token is not one this server knows.");
    }
    try {
      return callerOf(jwtProcessor.process(token, null));
    } catch (ParseException e) {
      return Verification.refused("The bearer token is not a well-formed JWT.");
    } catch (BadJOSEException e) {
      return Verification.refused(jwtRefusal(e.getMessage()));
    } catch (KeySourceException e) {
      return Verification.refused("The token cannot be checked now: the signing keys of " + jwt.issuer()
          + " could not be fetched from " + jwt.jwksUri() + ". Try again, or use a static token.");
    } catch (JOSEException e) {
      return Verification.refused("The JWT's signature could not be verified.");
    }
  }

  private Verification callerOf(JWTClaimsSet claims) {
    Object claimed = claims.getClaim(jwt.nameClaim());
    if (!(claimed instanceof String text) || text.isBlank()) {
      return Verification.refused("The JWT has no '" + jwt.nameClaim() + "' claim to name the caller by.");
    }
    Set<AccessRole> roles = EnumSet.noneOf(AccessRole.class);
    for (String value : claimValues(claims.getClaim(jwt.rolesClaim()))) {
      AccessRole mapped = jwt.roleMapping().get(value);
      if (mapped != null) {
        roles.add(mapped);
      } else if (jwt.roleMapping().isEmpty()) {
        // without a mapping the claim holds Lifeboat's role names; with one, only mapped values count, so an
        // IdP group that happens to be called "admin" for another application grants nothing here
        AccessRole.find(value).ifPresent(roles::add);
      }
    }
    String name = text.strip();
    if (staticNames.contains(name)) {
      // four-eyes and owner checks compare names: a JWT must not pass for a static token's holder
      return Verification.refused("The JWT names its caller '" + name + "', which is the name of a static token of "
          + "this server; rename one of them.");
    }
    return Verification.of(new Caller(name, roles, "jwt"));
  }

  private static List<String> claimValues(Object claim) {
    if (claim instanceof String text) {
      return List.of(text.strip().split("\\s+"));
    }
    if (claim instanceof Collection<?> values) {
      return values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }

  /** Nimbus's reasons, in words for the person holding the token. */
  private String jwtRefusal(String reason) {
    String text = reason == null ? "" : reason;
    if (text.contains("Expired JWT")) {
      return "The JWT has expired: get a new one from " + jwt.issuer() + ".";
    }
    if (text.contains("before use time")) {
      return "The JWT is not valid yet (nbf in the future): check the clocks.";
    }
    if (text.contains("audience")) {
      return "The JWT is not meant for this service: its aud must include '" + jwt.audience() + "'.";
    }
    if (text.contains("iss claim")) {
      return "The JWT was not issued by " + jwt.issuer() + ".";
    }
    if (text.contains("missing required claims")) {
      return "The JWT misses required claims (" + text.replaceAll(".*missing required claims: ", "") + ").";
    }
    if (text.contains("Signed JWT rejected") || text.contains("signature")) {
      return "The JWT's signature does not verify with the keys of " + jwt.issuer() + ".";
    }
    return "The JWT was refused: " + text;
  }

  private static JWKSource<SecurityContext> keys(JwtSettings jwt) {
    try {
      return JWKSourceBuilder.<SecurityContext>create(jwt.jwksUri().toURL()).retrying(true).build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("auth.jwt.jwksUri is not a URL: " + jwt.jwksUri(), e);
    }
  }

  private static DefaultJWTProcessor<SecurityContext> processor(JwtSettings jwt, JWKSource<SecurityContext> keys) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(jwt.audience(),
        new JWTClaimsSet.Builder().issuer(jwt.issuer()).build(), Set.of("exp", jwt.nameClaim()));
    claims.setMaxClockSkew((int) jwt.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
    return processor;
  }
}
