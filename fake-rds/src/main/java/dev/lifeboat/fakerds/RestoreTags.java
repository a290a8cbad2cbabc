package dev.lifeboat.fakerds;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.RestoreSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags Lifeboat puts on the instances it restores, and the {@link RestoreSpec} the fake builds
 * from them. {@code lifeboat:temporary=true} is also what the simulated IAM policy checks before a
 * DeleteDBInstance.
 */
final class RestoreTags {
  static final String TEMPORARY = "lifeboat:temporary";
  static final String RUN = "lifeboat:run";
  static final String EXPIRES_AT = "lifeboat:expires-at";
  static final String REQUESTER = "lifeboat:requester";
  static final String SOURCE = "lifeboat:source";

  private RestoreTags() {}

  static RestoreSpec spec(String instanceId, String source, Instant target, String localSnapshotId, String region,
      Map<String, String> tags) {
    return new RestoreSpec(instanceId, source, target, localSnapshotId, tags.get(RUN), tags.get(REQUESTER),
        expiresAt(tags), region);
  }

  /** Checks the tags a restore is asked with; an unreadable expiry is the caller's error. */
  static void validate(Map<String, String> tags) {
    expiresAt(tags);
  }

  static Instant expiresAt(Map<String, String> tags) {
    String v = tags.get(EXPIRES_AT);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiError.invalidParameter("Tag " + EXPIRES_AT + " must be an ISO-8601 instant, e.g. 2026-11-30T12:00:00Z;"
          + " got " + v);
    }
  }

  /** The tags of a temporary instance the fake finds on the platform but did not create itself. */
  static Map<String, String> of(InstanceInfo temporary) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(TEMPORARY, "true");
    if (temporary.runId() != null) {
      tags.put(RUN, temporary.runId());
    }
    if (temporary.expiresAt() != null) {
      tags.put(EXPIRES_AT, temporary.expiresAt().toString());
    }
    if (temporary.source() != null) {
      tags.put(SOURCE, temporary.source());
    }
    return tags;
  }
}
