package dev.lifeboat.api.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may call the API: static tokens (kept hashed) and, optionally, JWTs of an OIDC issuer.
 *
 * @param jwt null when only static tokens are accepted
 */
public record AuthSettings(List<StaticToken> tokens, JwtSettings jwt) {
  public AuthSettings {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    Set<String> hashes = new HashSet<>();
    for (StaticToken token : tokens) {
      if (!hashes.add(token.sha256())) {
        throw new IllegalArgumentException("two tokens have the same hash (" + token.name() + "): give each its own");
      }
    }
  }

  /** Nobody can call: no tokens, no issuer. A server built so refuses every request with 401. */
  public static final AuthSettings NONE = new AuthSettings(List.of(), null);
}
