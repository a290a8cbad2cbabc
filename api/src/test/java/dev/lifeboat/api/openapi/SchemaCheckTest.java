package dev.lifeboat.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.api.resources.RunsResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker OpenApiIT trusts finds what does not fit, so a green IT means the answers fit. */
class SchemaCheckTest {
  private static final JsonNode DOCUMENT = OpenApiDocument.generate(List.of(RunsResource.class)).tree();
  private static final JsonNode RUN = DOCUMENT.at("/components/schemas/Run");

  @Test
  void aRunAsTheServerWritesIt_fits() throws Exception {
    JsonNode run = new ObjectMapper().readTree("""
        {"runId": "restore-a-1", "kind": "restore", "instance": "a", "requester": "alice", "reason": "r",
         "phase": "running", "step": null, "progress": {"percent": null, "bytes": 1, "detail": null},
         "steps": [{"name": "plan", "status": "succeeded", "startedAt": "2026-11-24T10:31:00Z",
                    "stoppedAt": null, "durationMs": null, "detail": null}],
         "endpoint": null, "result": {"rows": 1, "note": "x"}, "error": null,
         "startedAt": "2026-11-24T10:31:00Z", "stoppedAt": null, "expiresAt": null, "links": {"self": "/v1/runs/x"}}
        """);

    assertThat(SchemaCheck.errors(DOCUMENT, RUN, run)).isEmpty();
  }

  @Test
  void whatDoesNotFit_isNamedWithItsPlace() throws Exception {
    JsonNode run = new ObjectMapper().readTree("""
        {"runId": 7, "kind": "resurrect", "phase": "running", "progress": {"percent": "half"},
         "steps": [{"startedAt": "yesterday"}], "startedAt": "2026-11-24T10:31:00Z", "colour": "red"}
        """);

    assertThat(String.join("\n", SchemaCheck.errors(DOCUMENT, RUN, run))).contains(
        "$.runId: 7, documented as a string",
        "$.kind: \"resurrect\" is not one of",
        "$.progress.percent: \"half\", documented as an integer",
        "$.steps[0].startedAt: \"yesterday\" is not an ISO-8601 date-time",
        "$.colour: the server writes a field the document does not list",
        "$: required field 'links' is missing");
  }
}
