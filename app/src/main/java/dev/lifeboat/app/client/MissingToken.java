package dev.lifeboat.app.client;

/** A command that calls the API was run without a token: it stops before sending anything. */
final class MissingToken extends RuntimeException {
  MissingToken(String message) {
    super(message, null, false, false);
  }
}
