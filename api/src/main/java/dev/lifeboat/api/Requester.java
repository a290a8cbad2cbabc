package dev.lifeboat.api;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who is calling. Until authentication lands this is the {@value #HEADER} header, taken on trust;
 * every caller of the API goes through here, so replacing it with the authenticated principal is
 * a change to this class only.
 */
public final class Requester {
  public static final String HEADER = "X-Lifeboat-User";
  public static final String ANONYMOUS = "anonymous";

  private static final int MAX_LENGTH = 128;
  /** Printable, no spaces at either end: the name lands in logs, the audit log and workflow history. */
  private static final Pattern NAME = Pattern.compile("[\\p{Graph}](?:[\\p{Graph} ]*[\\p{Graph}])?");

  private Requester() {}

  /** The caller's name; refuses one that could not be logged or audited as is. */
  public static String of(HttpHeaders headers) {
    String name = headers.getHeaderString(HEADER);
    if (name == null || name.isBlank()) {
      return ANONYMOUS;
    }
    String trimmed = name.strip();
    if (trimmed.length() > MAX_LENGTH || !NAME.matcher(trimmed).matches()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST,
          HEADER + " must be at most " + MAX_LENGTH + " printable ASCII characters",
          Map.of("field", HEADER));
    }
    return trimmed;
  }

  /** The caller's name for the audit log, which must record even a request refused for its name. */
  public static String forAudit(String headerValue) {
    if (headerValue == null || headerValue.isBlank()) {
      return ANONYMOUS;
    }
    String printable = headerValue.strip().replaceAll("[^\\p{Graph} ]", "?");
    return printable.length() > MAX_LENGTH ? printable.substring(0, MAX_LENGTH) + "..." : printable;
  }
}
