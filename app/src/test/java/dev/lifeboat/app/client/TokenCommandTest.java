package dev.lifeboat.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.StaticToken;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lifeboat token}: a token shown once, and a YAML entry holding only its hash; no server needed. */
class TokenCommandTest {
  private static final Pattern SECRET = Pattern.compile("^  (lbt_[A-Za-z0-9_-]{43})$", Pattern.MULTILINE);
  private static final YAMLMapper YAML = new YAMLMapper();

  @TempDir Path home;

  @Test
  void token_printsASecretOnce_andTheEntryWithItsHash_thatTheServerConfigReads() throws Exception {
    CliRun run = token("--name", "alice", "--role", "operator", "--role", "approver");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.err()).isEmpty();
    String secret = secret(run.out());
    assertThat(run.out()).containsOnlyOnce(secret)
        .contains("shown only this once", "only the hash goes into the configuration", "auth.tokens");

    StaticToken entry = entry(run.out());
    assertThat(entry.name()).isEqualTo("alice");
    assertThat(entry.roles()).containsExactlyInAnyOrder(AccessRole.OPERATOR, AccessRole.APPROVER);
    assertThat(entry.sha256()).isEqualTo(StaticToken.hash(secret));
    assertThat(run.out()).contains("    - name: alice\n", "      roles: [operator, approver]\n",
        "      sha256: " + StaticToken.hash(secret) + "\n");
  }

  @Test
  void token_isNewEachTime() {
    String first = secret(token("--name", "ci", "--role", "viewer").out());
    String second = secret(token("--name", "ci", "--role", "viewer").out());

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void roles_areCheckedAndDeduplicated_commasWork_caseDoesNot() throws Exception {
    CliRun run = token("--name", "ops", "--role", "Admin,viewer", "--role", "admin");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(entry(run.out()).roles()).containsExactlyInAnyOrder(AccessRole.VIEWER, AccessRole.ADMIN);
    assertThat(run.out()).contains("roles: [viewer, admin]");
  }

  @Test
  void unknownRole_isAUsageError_listingTheRoles_andPrintsNoToken() {
    CliRun run = token("--name", "alice", "--role", "superuser");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("error: unknown role 'superuser'; roles are viewer, operator, approver, admin")
        .doesNotContain("lbt_");
  }

  @Test
  void nameAndRole_areRequired_andANameMustBeSafeInYaml() {
    assertThat(token("--role", "viewer").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(token("--name", "alice").exitCode()).isEqualTo(ExitCode.USAGE);

    CliRun run = token("--name", "alice: admin", "--role", "viewer");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("the name 'alice: admin' must be");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void namesYamlWouldReadAsNumbersOrBooleans_areQuoted() throws Exception {
    for (String name : List.of("2024", "yes", "null", "alice@example.com", "ci-deploy.prod")) {
      CliRun run = token("--name", name, "--role", "viewer");

      assertThat(run.exitCode()).as(name + ": " + run.err()).isEqualTo(ExitCode.OK);
      assertThat(entry(run.out()).name()).isEqualTo(name);
    }
  }

  @Test
  void json_givesTheTokenAndItsEntry() throws Exception {
    CliRun run = token("--name", "ci", "--role", "operator", "--json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    JsonNode node = new ObjectMapper().readTree(run.out());
    assertThat(node.get("name").asText()).isEqualTo("ci");
    assertThat(node.get("roles").toString()).isEqualTo("[\"operator\"]");
    assertThat(node.get("sha256").asText()).isEqualTo(StaticToken.hash(node.get("token").asText()));
  }

  @Test
  void token_needsNoServerAndNoSettings() {
    CliRun run = CliRun.of(Map.of("LIFEBOAT_API", "http://127.0.0.1:1", "LIFEBOAT_CONFIG",
        home.resolve("missing").toString()), home, "token", "--name", "alice", "--role", "viewer");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
  }

  private CliRun token(String... options) {
    String[] args = new String[options.length + 1];
    args[0] = "token";
    System.arraycopy(options, 0, args, 1, options.length);
    return CliRun.of(Map.of(), home, args);
  }

  private static String secret(String out) {
    Matcher m = SECRET.matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1);
  }

  /** The printed YAML, read as the server reads {@code auth.tokens}. */
  private static StaticToken entry(String out) throws Exception {
    String yaml = out.substring(out.indexOf("\nauth:\n") + 1);
    yaml = yaml.substring(0, yaml.indexOf("\n\n") + 1);
    JsonNode tokens = YAML.readTree(yaml).path("auth").path("tokens");
    assertThat(tokens.size()).as(yaml).isEqualTo(1);
    assertThat(tokens.get(0).fieldNames()).toIterable().containsExactly("name", "roles", "sha256");
    return YAML.treeToValue(tokens.get(0), StaticToken.class);
  }
}
