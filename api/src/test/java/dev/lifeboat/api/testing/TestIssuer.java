package dev.lifeboat.api.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.JwtSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * An OIDC issuer for tests: an RSA key whose public half it serves as a JWKS on loopback, and
 * JWTs it signs. One per JVM, started on first use, stopped with the JVM.
 */
public final class TestIssuer {
  public static final String ISSUER = "https://login.lifeboat.test/";
  public static final String AUDIENCE = "lifeboat";
  /** An IdP group that maps to the operator role. */
  public static final String ONCALL_GROUP = "dba-oncall";

  private static final TestIssuer INSTANCE = new TestIssuer();

  private final RSAKey key;
  private final URI jwksUri;

  private TestIssuer() {
    try {
      key = new RSAKeyGenerator(2048).keyID("test-key").generate();
      String jwks = new JWKSet(key.toPublicJWK()).toString();
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/jwks.json", exchange -> {
        byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.setExecutor(null);
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
      jwksUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestIssuer get() {
    return INSTANCE;
  }

  public JwtSettings settings() {
    return new JwtSettings(ISSUER, jwksUri, AUDIENCE, "email", "groups",
        Map.of(ONCALL_GROUP, AccessRole.OPERATOR), Duration.ofSeconds(5));
  }

  /** A JWT of this issuer for {@code email} in {@code groups}, valid for the next hour. */
  public String token(String email, List<String> groups) {
    return sign(key, claims(email, groups).build());
  }

  /** The claims of {@link #token}, to change one before signing with {@link #sign}. */
  public JWTClaimsSet.Builder claims(String email, List<String> groups) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("user-" + email.hashCode())
        .claim("email", email)
        .claim("groups", groups)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
  }

  public String sign(JWTClaimsSet claims) {
    return sign(key, claims);
  }

  /** Signed with a key the issuer does not publish, under the issuer's key id. */
  public String signWithForeignKey(JWTClaimsSet claims) {
    try {
      return sign(new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(RSAKey signingKey, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
          claims);
      jwt.sign(new RSASSASigner(signingKey));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
