package dev.lifeboat.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.api.testing.TestIssuer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** JWT callers: only mapped groups grant roles, and a JWT never passes for a static token's holder. */
class TokenVerifierTest {
  private final TestIssuer issuer = TestIssuer.get();
  private final TokenVerifier verifier = new TokenVerifier(new AuthSettings(List.of(new StaticToken("admin",
      Set.of(AccessRole.ADMIN), StaticToken.hash("root-token"))), issuer.settings()));

  @Test
  void withARoleMapping_aGroupNamedLikeARole_grantsNothing() {
    Caller caller = verifier.verify(issuer.token("erin@techcorp.example", List.of("admin", TestIssuer.ONCALL_GROUP)))
        .caller();

    assertThat(caller.roles()).containsExactly(AccessRole.OPERATOR);
  }

  @Test
  void jwtNamingAStaticTokensCaller_isRefused() {
    TokenVerifier.Verification verification = verifier.verify(issuer.token("admin", List.of(TestIssuer.ONCALL_GROUP)));

    assertThat(verification.caller()).isNull();
    assertThat(verification.refusal()).contains("name of a static token");
  }
}
