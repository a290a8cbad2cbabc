package dev.lifeboat.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A token of the configuration, kept only as its SHA-256: the YAML never holds a usable secret.
 * Tokens are 32 random bytes, so an unsalted hash of them cannot be reversed by a dictionary.
 *
 * @param sha256 lower-case hex of the SHA-256 of the token's UTF-8 bytes
 */
public record StaticToken(String name, Set<AccessRole> roles, String sha256) {
  public static final String PREFIX = "lbt_";
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public StaticToken {
    Objects.requireNonNull(name, "name");
    roles = Set.copyOf(roles);
    sha256 = sha256 == null ? null : sha256.strip().toLowerCase(Locale.ROOT);
    if (sha256 == null || !HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("token '" + name + "': sha256 must be 64 hex digits, the SHA-256 of the "
          + "token (lifeboat token --name " + name + " --role ... prints a token and its hash)");
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("token '" + name + "' has no role; give it one of viewer, operator, "
          + "approver, admin");
    }
  }

  /** A new random token: {@value #PREFIX} and 43 URL-safe characters. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public Caller caller() {
    return new Caller(name, roles, "token");
  }
}
