package dev.lifeboat.api.drills;

import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.Primaries;
import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.failover.FailoverValidator;
import dev.lifeboat.api.views.DrillBody;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.model.DrillKind;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.VerificationSuite;
import dev.lifeboat.common.platform.Platform;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a drill request completely before anything starts: the fields first (cheap, no I/O), then
 * the suite against the configuration, then the instance, the region, the analytics replica and a
 * copy in the region against the platform. What it returns can be started as is, with the default
 * suite and targets filled in. A failover drill also names the pooler entry it copies and the
 * analytics replica its failover recreates, resolved as a restore-in-dr failover resolves them.
 */
public final class DrillValidator {
  private final Platform platform;
  private final DrillSettings settings;
  private final FailoverValidator failovers;

  public DrillValidator(Platform platform, DrillSettings settings, FailoverValidator failovers) {
    this.platform = platform;
    this.settings = settings;
    this.failovers = failovers;
  }

  public DrillRequest validate(DrillBody body, String requester) {
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"instance\": \"techcorp-primary\","
          + " \"region\": \"dr-1\", \"reason\": \"quarterly DR rehearsal\"}.");
    }
    String instance = RequestText.required("instance", body.instance());
    if (!Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance", "instance '" + instance + "' is not an instance id: a letter, then"
          + " letters, digits and single hyphens, at most 63 characters, e.g. techcorp-primary.");
    }
    String reason = RequestText.reason(body.reason());
    DrillKind kind = kind(body.kind());
    requireFieldsOf(kind, body);
    Duration maxDataLoss = DurationText.positive("maxDataLoss", body.maxDataLoss());
    DrillSource source = source(body.source());
    if (body.region() != null && body.region().isBlank()) {
      throw InvalidRequest.field("region", "region must name a DR region, e.g. dr-1; leave it out for the first one.");
    }
    DrillTargets targets = new DrillTargets(
        body.targets() == null ? null : DurationText.positive("targets.rto", body.targets().rto()),
        body.targets() == null ? null : DurationText.positive("targets.rpo", body.targets().rpo()));
    String suiteName = body.verification() == null ? settings.defaultSuite() : body.verification();
    VerificationSuite suite = suite(suiteName);

    Primaries.require(platform, "instance", instance, "only managed primaries are drilled", "Drill");
    failovers.refuseDrillDuringFailover(instance);
    String region = drRegion(body.region());
    if (suite.readsSource()) {
      requireAnalyticsReplica(instance);
    }
    boolean hasCopy = platform.listSnapshots(instance, region).stream().anyMatch(s -> "available".equals(s.status()));
    if (!hasCopy) {
      throw new LifeboatException(ErrorType.NO_COPY_IN_REGION, "Region " + region + " holds no snapshot copy of "
          + instance + ", so there is nothing to drill there yet; copy one first: POST /v1/snapshots {\"instance\": \""
          + instance + "\", \"drRegions\": [\"" + region + "\"], \"reason\": \"...\"}.",
          Map.of("instance", instance, "region", region));
    }
    if (kind == DrillKind.RESTORE) {
      return new DrillRequest(instance, region, source, suite.name(), settings.targetsFor(targets), reason,
          requester, kind, null, null, null);
    }
    String database = failovers.poolerDatabase(instance, body.database());
    if (database.length() > Rehearsal.MAX_DATABASE_LENGTH) {
      throw InvalidRequest.field("database", "database " + database + " is longer than " + Rehearsal.MAX_DATABASE_LENGTH
          + " characters: the drill's own pooler entry, " + database + Rehearsal.POOLER_DATABASE_INFIX
          + "<8 characters>, would pass PostgreSQL's 63.");
    }
    String analytics = failovers.analyticsReplica(instance, body.analyticsReplica());
    return new DrillRequest(instance, region, source, suite.name(), settings.targetsFor(targets), reason, requester,
        kind, database, analytics, maxDataLoss);
  }

  private static DrillKind kind(String text) {
    if (text == null) {
      return DrillKind.RESTORE;
    }
    try {
      return DrillKind.fromWireName(text.strip());
    } catch (IllegalArgumentException e) {
      List<String> allowed = Arrays.stream(DrillKind.values()).map(DrillKind::wireName).toList();
      throw InvalidRequest.field("kind", "kind '" + text + "' is not one of " + String.join(", ", allowed) + ".",
          Map.of("allowed", allowed));
    }
  }

  /** Fields only a failover drill reads are refused on a restore drill; a failover drill restores the newest copy. */
  private static void requireFieldsOf(DrillKind kind, DrillBody body) {
    if (kind == DrillKind.RESTORE) {
      String field = body.database() != null ? "database" : body.analyticsReplica() != null ? "analyticsReplica"
          : body.maxDataLoss() != null ? "maxDataLoss" : null;
      if (field != null) {
        throw InvalidRequest.field(field, field + " belongs to failover drills (\"kind\": \"failover\"); a restore"
            + " drill restores a copy and switches nothing.");
      }
    } else if (body.source() != null && !DrillSource.LATEST_COPY.wireName().equals(body.source().strip())) {
      throw InvalidRequest.field("source", "A failover drill restores what a restore-in-dr failover restores: the "
          + "newest copy in the region, replayed to its newest commit (latest-copy); leave source out.");
    }
  }

  private static DrillSource source(String text) {
    if (text == null) {
      return DrillSource.LATEST_COPY;
    }
    try {
      return DrillSource.fromWireName(text);
    } catch (IllegalArgumentException e) {
      List<String> allowed = Arrays.stream(DrillSource.values()).map(DrillSource::wireName).toList();
      throw InvalidRequest.field("source", "source '" + text + "' is not one of " + String.join(", ", allowed) + ".",
          Map.of("allowed", allowed));
    }
  }

  private VerificationSuite suite(String name) {
    return settings.suite(name).orElseThrow(() -> new LifeboatException(ErrorType.SUITE_NOT_FOUND,
        (name == null ? "The request names no verification suite and no default suite is configured"
            : "No verification suite is called '" + name + "'") + ". Configured suites: "
            + (settings.suites().isEmpty() ? "none (see drills.suites in the configuration)"
            : String.join(", ", settings.suiteNames())) + ".",
        name == null ? Map.of("field", "verification", "suites", settings.suiteNames())
            : Map.of("field", "verification", "suite", name, "suites", settings.suiteNames())));
  }

  private String drRegion(String asked) {
    List<String> regions = platform.regions();
    List<String> dr = regions.subList(Math.min(1, regions.size()), regions.size());
    if (asked == null && !dr.isEmpty()) {
      return dr.get(0);
    }
    if (asked != null && dr.contains(asked)) {
      return asked;
    }
    String why = asked == null ? "The platform has no DR region to drill in"
        : !regions.isEmpty() && regions.get(0).equals(asked)
            ? "'" + asked + "' is the home region; a drill restores in a DR region"
            : "The platform serves no DR region '" + asked + "'";
    throw new LifeboatException(ErrorType.REGION_NOT_FOUND, why + ". DR regions: "
        + (dr.isEmpty() ? "none" : String.join(", ", dr)) + ".",
        asked == null ? Map.of("field", "region", "drRegions", dr)
            : Map.of("field", "region", "region", asked, "drRegions", dr));
  }

  /** Row counts and freshness read the source from its analytics replica, never from the primary. */
  private void requireAnalyticsReplica(String instance) {
    String replica = settings.analyticsReplicaOf(instance).orElseThrow(() -> InvalidRequest.field(
        ErrorType.NO_COMPARE_REPLICA, "instance", "No analytics replica is configured for " + instance
            + " (drills.analyticsReplicas): the suite compares row counts or freshness with the source, which is read"
            + " from its analytics replica, never from the primary.", Map.of("instance", instance)));
    InstanceInfo info = platform.findInstance(replica).orElse(null);
    if (info == null || info.role() != InstanceRole.REPLICA || !instance.equals(info.source())) {
      throw InvalidRequest.field(ErrorType.NO_COMPARE_REPLICA, "instance", "The analytics replica " + replica
          + " configured for " + instance + " is not a replica of it on the platform.",
          Map.of("instance", instance, "replica", replica));
    }
  }
}
