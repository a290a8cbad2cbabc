package dev.lifeboat.api.testing;

import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.AuthSettings;
import dev.lifeboat.api.auth.StaticToken;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The callers of API tests, each with a static token of its own: {@code alice} operates (the
 * default requester), {@code bob} approves, {@code carol} administers, {@code victor} only views,
 * {@code olga} is a second operator (for owner checks), {@code dora} operates and approves. JWTs
 * of {@link TestIssuer} are accepted too.
 */
public final class TestCallers {
  public static final Map<String, Set<AccessRole>> ROLES = Map.of(
      "alice", Set.of(AccessRole.OPERATOR),
      "bob", Set.of(AccessRole.APPROVER),
      "carol", Set.of(AccessRole.ADMIN),
      "victor", Set.of(AccessRole.VIEWER),
      "olga", Set.of(AccessRole.OPERATOR),
      "dora", Set.of(AccessRole.OPERATOR, AccessRole.APPROVER));

  public static final AuthSettings SETTINGS = new AuthSettings(ROLES.entrySet().stream()
      .map(caller -> new StaticToken(caller.getKey(), caller.getValue(), StaticToken.hash(token(caller.getKey()))))
      .toList(), TestIssuer.get().settings());

  private TestCallers() {}

  /** The bearer token of a test caller (any name gets one; only the names above are known to the API). */
  public static String token(String user) {
    return "lbt_test_token_of_" + user;
  }

  public static List<String> names() {
    return List.copyOf(ROLES.keySet());
  }
}
