package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.AuthSettings;
import dev.lifeboat.api.auth.StaticToken;
import dev.lifeboat.api.auth.TokenVerifier;
import dev.lifeboat.app.dev.DevTokens;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auth:} as an operator writes it: tokens by hash, a JWT issuer; mistakes stop start-up naming them. */
class AuthConfigTest {
  private static LifeboatConfiguration parse(String auth) throws Exception {
    String yaml = "database:\n  url: jdbc:postgresql://127.0.0.1:5432/lifeboat\n" + auth;
    return new YamlConfigurationFactory<>(LifeboatConfiguration.class, Validators.newValidator(),
        Jackson.newObjectMapper(), "dw")
        .build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "auth.yml");
  }

  @Test
  void tokensAndIssuer_becomeSettingsThatAcceptTheToken() throws Exception {
    String secret = StaticToken.newSecret();
    LifeboatConfiguration config = parse("""
        auth:
          adminTokenSha256: %s
          tokens:
            - name: alice
              roles: [operator, approver]
              sha256: %s
          jwt:
            issuer: https://login.example.com/
            jwksUri: https://login.example.com/.well-known/jwks.json
            rolesClaim: groups
            roleMapping: {dba-oncall: operator}
            clockSkew: 2m
        """.formatted(StaticToken.hash("root-token"), StaticToken.hash(secret)));

    AuthSettings settings = config.getAuth().settings(List.of());

    assertThat(settings.tokens()).extracting(StaticToken::name).containsExactly("alice", "admin");
    assertThat(settings.jwt().roleMapping()).containsEntry("dba-oncall", AccessRole.OPERATOR);
    assertThat(settings.jwt().clockSkew()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.jwt().audience()).isEqualTo("lifeboat");
    TokenVerifier verifier = new TokenVerifier(settings);
    assertThat(verifier.verify(secret).caller().roles()).containsExactlyInAnyOrder(AccessRole.OPERATOR,
        AccessRole.APPROVER);
    assertThat(verifier.verify("root-token").caller().isAdmin()).isTrue();
    assertThat(verifier.verify(secret + "x").caller()).isNull();
  }

  @Test
  void unknownRole_orTokenInsteadOfItsHash_stopsStartUpNamingIt() {
    assertThatThrownBy(() -> parse("""
        auth:
          tokens:
            - {name: alice, roles: [superuser], sha256: %s}
        """.formatted(StaticToken.hash("x")))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("superuser").hasMessageContaining("viewer, operator, approver, admin");
    assertThatThrownBy(() -> parse("""
        auth:
          tokens:
            - {name: bob, roles: [viewer], sha256: lbt_not_a_hash}
        """)).isInstanceOf(ConfigurationException.class).hasMessageContaining("64 hex digits");
  }

  @Test
  void issuerWithoutKeys_orPlainHttpKeys_isRefused() throws Exception {
    LifeboatConfiguration noKeys = parse("auth:\n  jwt:\n    issuer: https://login.example.com/\n");
    assertThatThrownBy(() -> noKeys.getAuth().settings(List.of())).hasMessageContaining("jwksUri");
    LifeboatConfiguration http = parse("auth:\n  jwt:\n    issuer: https://i/\n    jwksUri: http://idp.example.com/k\n");
    assertThatThrownBy(() -> http.getAuth().settings(List.of())).hasMessageContaining("https");
  }

  @Test
  void devTokens_areKeptOwnerOnly_andReusedOnTheNextStart(@TempDir Path home) throws Exception {
    DevTokens first = DevTokens.ensure(home);
    DevTokens again = DevTokens.ensure(home);

    for (AccessRole role : AccessRole.values()) {
      assertThat(again.token(role)).isEqualTo(first.token(role)).startsWith(StaticToken.PREFIX);
    }
    assertThat(Files.getPosixFilePermissions(first.file()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    TokenVerifier verifier = new TokenVerifier(new AuthSettings(first.staticTokens(), null));
    assertThat(verifier.verify(first.token(AccessRole.APPROVER)).caller().name()).isEqualTo("dev-approver");
    assertThat(Files.readString(first.file())).contains("export LIFEBOAT_TOKEN=\"$LIFEBOAT_TOKEN_OPERATOR\"");
  }
}
