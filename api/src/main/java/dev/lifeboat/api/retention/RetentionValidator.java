package dev.lifeboat.api.retention;

import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.Primaries;
import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.RetentionBody;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.platform.Platform;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Checks a retention run completely before anything is started: the fields first, with their
 * defaults, then every named instance (a managed primary).
 */
public final class RetentionValidator {
  /** Retention run on demand covers the instances it names: the policy name its run carries. */
  static final String POLICY = "on-demand";
  static final String DEFAULT_RETENTION = "7d";
  static final String DEFAULT_MAX_ARCHIVE_LAG = "10m";
  static final int DEFAULT_MINIMUM_KEPT = 3;

  private final Platform platform;

  public RetentionValidator(Platform platform) {
    this.platform = platform;
  }

  public RetentionRequest validate(RetentionBody body, String requester) {
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"dryRun\": true,"
          + " \"reason\": \"check what the 7d policy would expire\"}.");
    }
    String reason = RequestText.reason(body.reason());
    List<String> asked = body.instances();
    if (asked != null) {
      if (asked.isEmpty()) {
        throw InvalidRequest.field("instances", "instances must name at least one primary, e.g."
            + " [\"techcorp-primary\"]; leave it out for every primary.");
      }
      for (String instance : asked) {
        if (instance == null || !Ids.validInstanceId(instance)) {
          throw InvalidRequest.field("instances", "instance '" + instance + "' is not an instance id: a letter, then"
              + " letters, digits and single hyphens, at most 63 characters, e.g. techcorp-primary.");
        }
      }
    }
    Duration retention = positive("retentionPolicy", body.retentionPolicy(), DEFAULT_RETENTION);
    Duration maxArchiveLag = positive("maxArchiveLag", body.maxArchiveLag(), DEFAULT_MAX_ARCHIVE_LAG);
    int minimumKept = body.minimumKept() == null ? DEFAULT_MINIMUM_KEPT : body.minimumKept();
    if (minimumKept < 1) {
      throw InvalidRequest.field("minimumKept", "minimumKept must be at least 1: the newest snapshot of each"
          + " instance and region is never expired; leave it out for " + DEFAULT_MINIMUM_KEPT + ".");
    }
    List<String> instances;
    if (asked == null) {
      instances = Primaries.all(platform);
    } else {
      instances = List.copyOf(new LinkedHashSet<>(asked));
      instances.forEach(instance -> Primaries.require(platform, "instances", instance,
          "retention expires the snapshots of managed primaries only", "Name"));
    }
    boolean dryRun = Boolean.TRUE.equals(body.dryRun());
    return new RetentionRequest(POLICY, instances, retention, minimumKept, maxArchiveLag, dryRun, requester, reason);
  }

  /** The duration sent, or the default when left out; 400 naming the field unless it is above zero. */
  private static Duration positive(String field, String text, String fallback) {
    String value = text == null ? fallback : text;
    return DurationText.parse(value).filter(d -> !d.isNegative() && !d.isZero())
        .orElseThrow(() -> InvalidRequest.field(field, field + " '" + value + "' is not " + DurationText.EXPECTED
            + ", greater than zero; leave it out for " + fallback + "."));
  }
}
