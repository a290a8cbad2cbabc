package dev.lifeboat.app.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.StaticToken;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lifeboat token --name NAME --role ROLE}: a new static token and its entry for the API's
 * {@code auth.tokens}. Needs no server: the secret is made here, printed once, and only its SHA-256
 * goes into the configuration.
 */
@Command(name = "token",
    description = "Make a new API token: prints it once, and the entry for the server's configuration, which "
        + "holds only its SHA-256. Calls no server.")
final class TokenCommand implements Callable<Integer> {
  /** Names as they appear in the audit log: no spaces, nothing YAML would read as syntax. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  /** Plain YAML scalars that are not strings (YAML 1.1, as the configuration is read). */
  private static final Set<String> YAML_WORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = "--name", required = true, paramLabel = "NAME",
      description = "who will hold the token, as the audit log names them, e.g. alice or ci-deploy")
  String name;

  @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
      description = "viewer, operator, approver or admin; repeat (or separate with commas) for more")
  List<String> roles;

  @Override
  public Integer call() {
    if (!NAME.matcher(name).matches()) {
      throw new ParameterException(spec.commandLine(), "the name '" + name + "' must be 1 to 64 letters, digits, "
          + "'.', '_', '@' or '-', starting with a letter or digit");
    }
    Set<AccessRole> granted = EnumSet.noneOf(AccessRole.class);
    for (String role : roles) {
      granted.add(AccessRole.find(role).orElseThrow(() -> new ParameterException(spec.commandLine(),
          "unknown role '" + role + "'; roles are " + AccessRole.names(EnumSet.allOf(AccessRole.class)))));
    }
    String secret = StaticToken.newSecret();
    String sha256 = StaticToken.hash(secret);
    LifeboatCommand root = (LifeboatCommand) spec.root().userObject();
    PrintWriter out = spec.commandLine().getOut();
    if (root.json) {
      ObjectNode node = root.mapper.createObjectNode();
      node.put("name", name);
      granted.stream().map(AccessRole::wireName).forEach(node.putArray("roles")::add);
      node.put("sha256", sha256);
      node.put("token", secret);
      try {
        out.println(root.mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      out.println("A new token for " + name + ", shown only this once (Lifeboat keeps its SHA-256, never the token):");
      out.println();
      out.println("  " + secret);
      out.println();
      out.println("Add this entry to auth.tokens in the server's configuration and restart the API;");
      out.println("only the hash goes into the configuration:");
      out.println();
      out.println("auth:");
      out.println("  tokens:");
      out.println("    - name: " + yamlScalar(name));
      out.println("      roles: [" + granted.stream().map(AccessRole::wireName).collect(Collectors.joining(", ")) + "]");
      out.println("      sha256: " + sha256);
      out.println();
      out.println("Hand the token to " + name + " privately: the CLI reads it from " + ClientSettings.ENV_TOKEN
          + " or the key token");
      out.println("of ~/.config/lifeboat/cli.properties (chmod 600). Lost? Make a new one and replace the entry.");
    }
    out.flush();
    return ExitCode.OK;
  }

  /** The name as YAML reads it back as the same string: quoted when it could be a number or a boolean. */
  private static String yamlScalar(String name) {
    boolean plain = Character.isLetter(name.charAt(0)) && !YAML_WORDS.contains(name.toLowerCase(Locale.ROOT));
    return plain ? name : "\"" + name + "\"";
  }
}
