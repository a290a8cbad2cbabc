package dev.lifeboat.app.client;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the API is, who is calling and the bearer token, each from the first place that sets it:
 * the option, the environment, the config file, the default. The token is deliberately not an
 * option: a command line lands in shell history and in {@code ps}.
 */
final class ClientSettings {
  static final String DEFAULT_API = "http://127.0.0.1:8080";
  static final String ENV_API = "LIFEBOAT_API";
  static final String ENV_USER = "LIFEBOAT_USER";
  static final String ENV_TOKEN = "LIFEBOAT_TOKEN";
  static final String ENV_CONFIG = "LIFEBOAT_CONFIG";
  static final Path DEFAULT_CONFIG = Path.of(".config", "lifeboat", "cli.properties");
  /** Visible ASCII, no spaces: wider than RFC 6750's b64token, narrow enough for any header. */
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");
  private static final Pattern USER = Pattern.compile("[\\x20-\\x7E]+");

  private final URI api;
  private final String user;
  private final String token;

  private ClientSettings(URI api, String user, String token) {
    this.api = api;
    this.user = user;
    this.token = token;
  }

  /**
   * @throws IllegalArgumentException when the API address is not an http(s) URL, or
   *     {@code LIFEBOAT_CONFIG} names a file that cannot be read; the message says which
   */
  static ClientSettings resolve(String apiOption, String userOption, CliContext context) {
    Properties file = configFile(context);
    String api = first(apiOption, context.env().get(ENV_API), file.getProperty("api"), DEFAULT_API);
    String user = first(userOption, context.env().get(ENV_USER), file.getProperty("user"), context.osUser());
    String token = first(context.env().get(ENV_TOKEN), file.getProperty("token"));
    if (token != null && !TOKEN.matcher(token).matches()) {
      // HttpClient would refuse it with a message that quotes the whole header, token included.
      throw new IllegalArgumentException("the token (" + ENV_TOKEN + " or the config file) contains characters a "
          + "bearer token cannot have, such as spaces or control characters");
    }
    if (user != null && !USER.matcher(user).matches()) {
      throw new IllegalArgumentException("the user name must be printable ASCII characters");
    }
    return new ClientSettings(apiUri(api), user, token);
  }

  URI api() {
    return api;
  }

  /** Null when nobody is named anywhere: the API then records {@code anonymous}. */
  String user() {
    return user;
  }

  Optional<String> token() {
    return Optional.ofNullable(token);
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "api=" + api + ", user=" + user + ", token=" + (token == null ? "none" : "set");
  }

  private static URI apiUri(String text) {
    String trimmed = text.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the API address '" + text + "' is not a URL, e.g. http://127.0.0.1:8080");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("the API address '" + text + "' must be an http or https URL, "
          + "e.g. http://127.0.0.1:8080");
    }
    return uri;
  }

  private static Properties configFile(CliContext context) {
    Properties properties = new Properties();
    String named = context.env().get(ENV_CONFIG);
    Path path = named != null && !named.isBlank() ? Path.of(named) : context.home().resolve(DEFAULT_CONFIG);
    if (!Files.exists(path)) {
      if (named != null && !named.isBlank()) {
        throw new IllegalArgumentException(ENV_CONFIG + " names " + path + ", which does not exist");
      }
      return properties;
    }
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      // The message of a malformed file could quote its content, the token included: name the file only.
      throw new IllegalArgumentException("cannot read the CLI config file " + path + " (" + e.getClass().getSimpleName()
          + ")");
    }
    return properties;
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }
}
