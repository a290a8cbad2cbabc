package dev.lifeboat.api;

import dev.lifeboat.api.audit.Secrets;
import dev.lifeboat.api.errors.InvalidRequest;

/** Text fields every request validates the same way: required ones, and the reason runs carry. */
public final class RequestText {
  /** A reason lands in the run, the audit log and workflow history: a sentence, not a document. */
  public static final int MAX_REASON_CHARS = 1000;

  private RequestText() {}

  /** The value as sent; 400 naming the field when it is missing or blank. */
  public static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw InvalidRequest.field(field, field + " is required and must not be blank.");
    }
    return value;
  }

  /**
   * The required {@code reason}, stripped, with secrets masked: a reason is kept in the run, its
   * workflow history and logs, and someone pasting a connection string into it must not leave the
   * password in all of them.
   */
  public static String reason(String value) {
    String reason = required("reason", value).strip();
    if (reason.length() > MAX_REASON_CHARS) {
      throw InvalidRequest.field("reason", "reason is longer than " + MAX_REASON_CHARS + " characters.");
    }
    return Secrets.redactText(reason);
  }
}
