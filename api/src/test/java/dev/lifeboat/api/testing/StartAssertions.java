package dev.lifeboat.api.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.api.testing.Http.Reply;
import dev.lifeboat.catalog.AuditEntry;
import dev.lifeboat.catalog.RunFilter;
import dev.lifeboat.common.model.RunKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Function;

/**
 * Checks shared by the tests of endpoints that start runs: a refused request creates nothing but
 * its audit entry, and an accepted one reaches the worker.
 */
public final class StartAssertions {
  private StartAssertions() {}

  /** A reason no other request of the suite uses, to find this request's traces. */
  public static String uniqueReason() {
    return "test " + UUID.randomUUID();
  }

  /** The request the worker got for this reason; waits for the worker to pick the workflow up. */
  public static <T> T startedWith(Collection<T> started, Function<T, String> reasonOf, String reason) {
    Instant until = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(until)) {
      for (T request : started) {
        if (reasonOf.apply(request).equals(reason)) {
          return request;
        }
      }
      pause(Duration.ofMillis(50));
    }
    throw new AssertionError("no workflow started for " + reason + " within " + Duration.ofSeconds(10));
  }

  public static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Posts {@code template} (its {@code %s} replaced by a unique reason) and checks the error body,
   * that no run of {@code kind} and no workflow was created, and that the refusal was audited.
   */
  public static <T> JsonNode assertRefused(ApiFixture api, String path, RunKind kind, String expectedRunId,
      Collection<T> started, Function<T, String> reasonOf, String template, int status, String error, String field,
      String message) {
    String marker = uniqueReason();
    int runsBefore = runs(api, kind);
    // as an admin, whom no role check refuses: what is refused here is the request itself
    Reply reply = api.http().postJson(path, template.replace("%s", marker), "carol");

    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    JsonNode json = reply.json();
    assertThat(json.get("code").asInt()).isEqualTo(status);
    assertThat(json.get("error").asText()).isEqualTo(error);
    assertThat(json.get("message").asText()).contains(message);
    if (field != null) {
      assertThat(json.get("details").get("field").asText()).isEqualTo(field);
    }

    assertThat(runs(api, kind)).as("runs in the catalog").isEqualTo(runsBefore);
    assertThat(api.catalog().runs().find(expectedRunId)).as("the run this request would have made").isEmpty();
    assertThat(started.stream().filter(r -> reasonOf.apply(r).equals(marker))).isEmpty();
    AuditEntry audit = api.catalog().audit().list(null, null, null, 200).items().stream()
        .filter(entry -> entry.request() != null && entry.request().contains(marker))
        .findFirst().orElseThrow(() -> new AssertionError("no audit entry for " + marker));
    assertThat(audit.status()).isEqualTo(status);
    assertThat(audit.runId()).isNull();
    return json;
  }

  private static int runs(ApiFixture api, RunKind kind) {
    return api.catalog().runs().list(new RunFilter(kind, null, null), null, 200).items().size();
  }
}
