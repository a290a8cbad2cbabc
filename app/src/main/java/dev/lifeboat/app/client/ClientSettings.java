package dev.lifeboat.app.client;

import dev.lifeboat.app.dev.DevTokens;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the API is and the bearer token that names the caller, each from the first place that
 * sets it: the option, the environment, the config file, the default. The token is deliberately
 * not an option: a command line lands in shell history and in {@code ps}.
 */
final class ClientSettings {
  static final String DEFAULT_API = "http://127.0.0.1:8080";
  static final String ENV_API = "LIFEBOAT_API";
  static final String ENV_TOKEN = "LIFEBOAT_TOKEN";
  static final String ENV_CONFIG = "LIFEBOAT_CONFIG";
  /** Where {@code lifeboat dev} keeps its data, and its {@code dev-tokens.env}. */
  static final String ENV_HOME = "LIFEBOAT_HOME";
  static final String DEFAULT_HOME = ".lifeboat";
  static final Path DEFAULT_CONFIG = Path.of(".config", "lifeboat", "cli.properties");
  /** Visible ASCII, no spaces: wider than RFC 6750's b64token, narrow enough for any header. */
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");

  private final URI api;
  private final String token;
  private final String tokenSource;
  private final Path configFile;
  private final String devHome;

  private ClientSettings(URI api, String token, String tokenSource, Path configFile, String devHome) {
    this.api = api;
    this.token = token;
    this.tokenSource = tokenSource;
    this.configFile = configFile;
    this.devHome = devHome;
  }

  /**
   * @throws IllegalArgumentException when the API address is not an http(s) URL, the token cannot
   *     be a header value, or {@code LIFEBOAT_CONFIG} names a file that cannot be read; the message
   *     says which, and never quotes the token
   */
  static ClientSettings resolve(String apiOption, CliContext context) {
    String named = first(context.env().get(ENV_CONFIG));
    Path path = named != null ? Path.of(named) : context.home().resolve(DEFAULT_CONFIG);
    Properties file = configFile(path, named != null);
    String api = first(apiOption, context.env().get(ENV_API), file.getProperty("api"), DEFAULT_API);
    String fromEnv = first(context.env().get(ENV_TOKEN));
    String token = fromEnv != null ? fromEnv : first(file.getProperty("token"));
    String source = fromEnv != null ? ENV_TOKEN : "the config file " + path;
    if (token != null && !TOKEN.matcher(token).matches()) {
      // HttpClient would refuse it with a message that quotes the whole header, token included.
      throw new IllegalArgumentException("the token (from " + source + ") contains characters a bearer token "
          + "cannot have, such as spaces or control characters");
    }
    String home = first(context.env().get(ENV_HOME), DEFAULT_HOME);
    return new ClientSettings(apiUri(api), token, token == null ? null : source, path, home);
  }

  URI api() {
    return api;
  }

  /**
   * The bearer token; every API call needs one.
   *
   * @throws MissingToken when none is set, saying where to get one
   */
  String requireToken() {
    if (token == null) {
      throw new MissingToken("no token: the API needs a bearer token, which also names the caller. With "
          + "lifeboat dev: source " + Path.of(devHome).resolve(DevTokens.FILE) + " (" + ENV_TOKEN + " becomes the "
          + "operator's); otherwise set " + ENV_TOKEN + ", or token=... in " + configFile + " (an admin makes one: "
          + "lifeboat token --name NAME --role ROLE)");
    }
    return token;
  }

  /** Where the token came from, e.g. {@code LIFEBOAT_TOKEN}: to say which one the API refused. */
  String tokenSource() {
    return tokenSource;
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "api=" + api + ", token=" + (token == null ? "none" : "set (" + tokenSource + ")");
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

  private static Properties configFile(Path path, boolean named) {
    Properties properties = new Properties();
    if (!Files.exists(path)) {
      if (named) {
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
