package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.AuthSettings;
import dev.lifeboat.api.auth.JwtSettings;
import dev.lifeboat.api.auth.StaticToken;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code auth:} in the YAML: static tokens, kept as SHA-256 ({@code lifeboat token} makes one),
 * and optionally an OIDC issuer whose JWTs are accepted. {@code lifeboat dev} adds one token per
 * role of its own.
 */
public class AuthFactory {
  private List<StaticToken> tokens = new ArrayList<>();
  /** One admin token given by its hash alone (an environment variable), to bootstrap an install. */
  private String adminTokenSha256;
  private JwtFactory jwt;

  public AuthSettings settings(List<StaticToken> extra) {
    List<StaticToken> all = new ArrayList<>(tokens);
    if (adminTokenSha256 != null && !adminTokenSha256.isBlank()) {
      all.add(new StaticToken("admin", Set.of(AccessRole.ADMIN), adminTokenSha256));
    }
    all.addAll(extra);
    return new AuthSettings(all, jwt == null ? null : jwt.settings());
  }

  @JsonProperty
  public List<StaticToken> getTokens() {
    return tokens;
  }

  @JsonProperty
  public void setTokens(List<StaticToken> tokens) {
    this.tokens = tokens == null ? new ArrayList<>() : tokens;
  }

  @JsonProperty
  public String getAdminTokenSha256() {
    return adminTokenSha256;
  }

  @JsonProperty
  public void setAdminTokenSha256(String adminTokenSha256) {
    this.adminTokenSha256 = adminTokenSha256;
  }

  @JsonProperty
  public JwtFactory getJwt() {
    return jwt;
  }

  @JsonProperty
  public void setJwt(JwtFactory jwt) {
    this.jwt = jwt;
  }

  /** {@code auth.jwt:}: the issuer, its JWKS, the audience, and which claims name the caller and its roles. */
  public static class JwtFactory {
    private String issuer;
    private String jwksUri;
    private String audience = "lifeboat";
    private String nameClaim = "sub";
    private String rolesClaim = "roles";
    private Map<String, AccessRole> roleMapping = new LinkedHashMap<>();
    private String clockSkew = "60s";

    JwtSettings settings() {
      if (issuer == null || issuer.isBlank() || jwksUri == null || jwksUri.isBlank()) {
        throw new IllegalArgumentException("auth.jwt needs both issuer and jwksUri (e.g. "
            + "https://login.example.com/.well-known/jwks.json); remove auth.jwt to accept static tokens only");
      }
      URI keys;
      try {
        keys = new URI(jwksUri.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("auth.jwt.jwksUri '" + jwksUri + "' is not a URI", e);
      }
      if (!"https".equals(keys.getScheme()) && !isLoopback(keys)) {
        throw new IllegalArgumentException("auth.jwt.jwksUri must be https (or a loopback address for tests): "
            + jwksUri);
      }
      Duration skew = DurationText.parse(clockSkew).orElseThrow(() -> new IllegalArgumentException(
          "auth.jwt.clockSkew '" + clockSkew + "' is not " + DurationText.EXPECTED));
      return new JwtSettings(issuer.strip(), keys, audience, nameClaim, rolesClaim, roleMapping, skew);
    }

    private static boolean isLoopback(URI uri) {
      return "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
    }

    @JsonProperty
    public String getIssuer() {
      return issuer;
    }

    @JsonProperty
    public void setIssuer(String issuer) {
      this.issuer = issuer;
    }

    @JsonProperty
    public String getJwksUri() {
      return jwksUri;
    }

    @JsonProperty
    public void setJwksUri(String jwksUri) {
      this.jwksUri = jwksUri;
    }

    @JsonProperty
    public String getAudience() {
      return audience;
    }

    @JsonProperty
    public void setAudience(String audience) {
      this.audience = audience;
    }

    @JsonProperty
    public String getNameClaim() {
      return nameClaim;
    }

    @JsonProperty
    public void setNameClaim(String nameClaim) {
      this.nameClaim = nameClaim;
    }

    @JsonProperty
    public String getRolesClaim() {
      return rolesClaim;
    }

    @JsonProperty
    public void setRolesClaim(String rolesClaim) {
      this.rolesClaim = rolesClaim;
    }

    @JsonProperty
    public Map<String, AccessRole> getRoleMapping() {
      return roleMapping;
    }

    @JsonProperty
    public void setRoleMapping(Map<String, AccessRole> roleMapping) {
      this.roleMapping = roleMapping == null ? new LinkedHashMap<>() : roleMapping;
    }

    @JsonProperty
    public String getClockSkew() {
      return clockSkew;
    }

    @JsonProperty
    public void setClockSkew(String clockSkew) {
      this.clockSkew = clockSkew;
    }
  }
}
