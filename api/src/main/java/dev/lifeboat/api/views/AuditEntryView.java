package dev.lifeboat.api.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.catalog.AuditEntry;
import java.io.IOException;
import java.time.Instant;

/**
 * One audit entry: who (name and role), what (action, run), from where, with which answer.
 *
 * @param request the body as sent (secrets masked): JSON when it was JSON, else its text
 */
public record AuditEntryView(long id, Instant at, String principal, String role, String action, String runId,
    Object request, int status, String sourceAddress) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static AuditEntryView of(AuditEntry entry) {
    return new AuditEntryView(entry.id(), entry.at(), entry.principal(), entry.role(), entry.action(), entry.runId(),
        body(entry.request()), entry.status(), entry.sourceAddress());
  }

  private static Object body(String text) {
    if (text == null) {
      return null;
    }
    try {
      JsonNode tree = JSON.readTree(text);
      return tree == null ? text : tree;
    } catch (IOException e) {
      return text;
    }
  }
}
