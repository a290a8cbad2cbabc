package dev.lifeboat.api.snapshots;

import dev.lifeboat.api.Primaries;
import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.SnapshotBody;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.model.SnapshotRequest;
import dev.lifeboat.common.platform.Platform;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Checks an on-demand snapshot completely before anything is created: the fields first, then the
 * instance (a managed primary), then the DR regions against the platform's.
 */
public final class SnapshotValidator {
  /** On-demand snapshots are of one instance: the policy name its runs carry. */
  static final String POLICY = "on-demand";

  private final Platform platform;

  public SnapshotValidator(Platform platform) {
    this.platform = platform;
  }

  /** The request to start, without {@code scheduledFor}: the starter pins it to the minute. */
  public SnapshotRequest validate(SnapshotBody body, String requester) {
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"instance\": \"techcorp-primary\","
          + " \"reason\": \"before the schema migration\"}.");
    }
    String instance = RequestText.required("instance", body.instance());
    if (!Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance", "instance '" + instance + "' is not an instance id: a letter, then"
          + " letters, digits and single hyphens, at most 63 characters, e.g. techcorp-primary.");
    }
    String reason = RequestText.reason(body.reason());
    List<String> asked = body.drRegions();
    if (asked != null && asked.stream().anyMatch(r -> r == null || r.isBlank())) {
      throw InvalidRequest.field("drRegions", "drRegions must name regions, e.g. [\"dr-1\"]; leave it out to copy"
          + " to every DR region.");
    }
    Primaries.require(platform, "instance", instance, "only managed primaries are snapshotted", "Snapshot");
    Regions regions = Regions.of(platform);
    List<String> drRegions = asked == null
        ? regions.dr()
        : new LinkedHashSet<>(asked).stream().map(regions::requireDr).toList();
    return new SnapshotRequest(POLICY, List.of(instance), drRegions, requester, reason, null, 1);
  }
}
