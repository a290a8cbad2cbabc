package dev.lifeboat.app.client;

/** No answer from the API at all: refused, unknown host, timed out. */
final class ApiUnreachable extends RuntimeException {
  ApiUnreachable(String message) {
    super(message, null, false, false);
  }
}
