package dev.lifeboat.app.dev;

import dev.lifeboat.api.auth.AccessRole;
import dev.lifeboat.api.auth.StaticToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bearer token per role for {@code lifeboat dev}, callers named {@code dev-<role>}: made on the
 * first start and kept in {@value #FILE} under the dev home (owner-only), so a shell can
 * {@code source} it and the tokens survive restarts of the dev stack.
 */
public final class DevTokens {
  public static final String FILE = "dev-tokens.env";
  private static final Pattern LINE = Pattern.compile("export LIFEBOAT_TOKEN_([A-Z]+)=(\\S+)");

  private final Path file;
  private final Map<AccessRole, String> tokens;

  private DevTokens(Path file, Map<AccessRole, String> tokens) {
    this.file = file;
    this.tokens = tokens;
  }

  /** The tokens of {@code home}'s file, made (and the file written) where missing. */
  public static DevTokens ensure(Path home) {
    Path file = home.resolve(FILE).toAbsolutePath();
    Map<AccessRole, String> tokens = read(file);
    if (tokens.size() < AccessRole.values().length) {
      for (AccessRole role : AccessRole.values()) {
        tokens.computeIfAbsent(role, r -> StaticToken.newSecret());
      }
      write(file, tokens);
    }
    return new DevTokens(file, tokens);
  }

  public static String callerName(AccessRole role) {
    return "dev-" + role.wireName();
  }

  public Path file() {
    return file;
  }

  public String token(AccessRole role) {
    return tokens.get(role);
  }

  /** The tokens as the API's configuration holds them: hashed. */
  public List<StaticToken> staticTokens() {
    List<StaticToken> list = new ArrayList<>();
    tokens.forEach((role, token) -> list.add(new StaticToken(callerName(role), Set.of(role), StaticToken.hash(token))));
    return list;
  }

  private static Map<AccessRole, String> read(Path file) {
    Map<AccessRole, String> tokens = new EnumMap<>(AccessRole.class);
    if (!Files.isRegularFile(file)) {
      return tokens;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher m = LINE.matcher(line.strip());
        if (m.matches()) {
          AccessRole.find(m.group(1)).ifPresent(role -> tokens.put(role, m.group(2)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dev tokens in " + file, e);
    }
    return tokens;
  }

  private static void write(Path file, Map<AccessRole, String> tokens) {
    StringBuilder text = new StringBuilder("# Bearer tokens of lifeboat dev, one per role (callers dev-viewer, "
        + "dev-operator, ...).\n# source this file; the CLI reads LIFEBOAT_TOKEN. Delete it for new tokens.\n");
    tokens.forEach((role, token) -> text.append("export LIFEBOAT_TOKEN_")
        .append(role.name().toUpperCase(Locale.ROOT)).append('=').append(token).append('\n'));
    text.append("export LIFEBOAT_TOKEN=\"$LIFEBOAT_TOKEN_OPERATOR\"\n");
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), FILE, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the dev tokens to " + file, e);
    }
  }
}
