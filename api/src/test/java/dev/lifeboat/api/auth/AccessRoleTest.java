package dev.lifeboat.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRoleTest {
  @Test
  void everyRoleReads_adminDoesAll_othersOnlyTheirOwn() {
    assertThat(AccessRole.values()).allSatisfy(role -> assertThat(role.grants(AccessRole.VIEWER)).isTrue());
    assertThat(AccessRole.values()).allSatisfy(role -> assertThat(AccessRole.ADMIN.grants(role)).isTrue());
    assertThat(AccessRole.OPERATOR.grants(AccessRole.APPROVER)).isFalse();
    assertThat(AccessRole.APPROVER.grants(AccessRole.OPERATOR)).isFalse();
    assertThat(AccessRole.VIEWER.grants(AccessRole.OPERATOR)).isFalse();
    assertThat(new Caller("dora", Set.of(AccessRole.OPERATOR, AccessRole.APPROVER), "token")
        .may(AccessRole.APPROVER)).isTrue();
  }

  @Test
  void unknownRoleName_isAnErrorListingTheRoles() {
    assertThatThrownBy(() -> AccessRole.parse("superuser")).hasMessageContaining("viewer, operator, approver, admin");
  }

  @Test
  void staticToken_isKeptAsItsHash_andRefusesAMalformedOne() {
    String secret = StaticToken.newSecret();
    assertThat(secret).startsWith("lbt_").hasSize(47);
    StaticToken token = new StaticToken("alice", Set.of(AccessRole.OPERATOR), StaticToken.hash(secret));
    assertThat(new TokenVerifier(new AuthSettings(java.util.List.of(token), null)).verify(secret).caller().name())
        .isEqualTo("alice");
    assertThatThrownBy(() -> new StaticToken("bob", Set.of(AccessRole.VIEWER), secret))
        .hasMessageContaining("64 hex digits");
  }
}
