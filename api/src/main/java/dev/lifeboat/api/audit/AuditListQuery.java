package dev.lifeboat.api.audit;

import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.runs.RunListQuery;
import dev.lifeboat.catalog.AuditQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The query parameters of {@code GET /v1/audit}, parsed so that a bad one is a 400 naming it. */
public record AuditListQuery(AuditQuery query, String cursor, int limit) {
  private static final List<String> OUTCOMES = List.of("accepted", "refused");

  public static AuditListQuery parse(String principal, String runId, String action, String since, String until,
      String outcome, String limit, String cursor) {
    Boolean refused = null;
    if (!blank(outcome)) {
      if (!OUTCOMES.contains(outcome.strip())) {
        throw InvalidRequest.field("outcome", "outcome '" + outcome + "' is not one of accepted (answered below 400), "
            + "refused (400 and above).", Map.of("allowed", OUTCOMES));
      }
      refused = outcome.strip().equals("refused");
    }
    return new AuditListQuery(
        new AuditQuery(text(principal), text(runId), text(action), time("since", since), time("until", until), refused),
        text(cursor),
        RunListQuery.limit(limit));
  }

  private static Instant time(String field, String text) {
    if (blank(text)) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw InvalidRequest.field(field, field + " '" + text + "' is not an ISO-8601 UTC time such as "
          + "2026-11-24T10:31:00Z.");
    }
  }

  private static String text(String value) {
    return blank(value) ? null : value.strip();
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
