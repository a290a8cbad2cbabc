package dev.lifeboat.api;

import dev.lifeboat.api.auth.Caller;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;

/**
 * Who is calling: the {@link Caller} the bearer token authenticated. Every resource takes the
 * requester of a run, the author of a decision and the owner check from here.
 */
public final class Requester {
  public static final String ANONYMOUS = "anonymous";

  private Requester() {}

  /** The authenticated caller; resources are only reached with one (see {@code AccessControl}). */
  public static Caller caller(SecurityContext security) {
    if (security != null && security.getUserPrincipal() instanceof Caller caller) {
      return caller;
    }
    throw new LifeboatException(ErrorType.UNAUTHENTICATED, "This endpoint needs a bearer token.", Map.of());
  }

  /** The caller's name, recorded as a run's requester or a decision's author. */
  public static String of(SecurityContext security) {
    return caller(security).name();
  }
}
