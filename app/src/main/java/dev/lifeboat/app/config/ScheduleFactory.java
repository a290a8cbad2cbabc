package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.api.DurationText;
import dev.lifeboat.common.Cron;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.failover.Rehearsal;
import dev.lifeboat.common.model.DrillKind;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.DrillTargets;
import dev.lifeboat.common.model.ReapRequest;
import dev.lifeboat.common.model.RetentionRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.SnapshotRequest;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One entry of {@code schedules:} in the configuration. */
public class ScheduleFactory {
  @NotBlank
  @Pattern(regexp = "[a-z][a-z0-9-]{0,62}", message = "must be lower-case letters, digits and hyphens")
  private String id;
  @NotBlank
  private String cron;
  @NotBlank
  private String timeZone = "UTC";
  @NotBlank
  @Pattern(regexp = "snapshot|retention|reaper|drill",
      message = "must be 'snapshot', 'retention', 'reaper' or 'drill'")
  private String kind = "snapshot";
  @NotBlank
  private String policy = "daily";
  /** Snapshot and retention: the instances; drill: the one instance; the reaper looks at every temporary instance. */
  private List<String> instances = new ArrayList<>();
  private List<String> drRegions = new ArrayList<>();
  @Min(1)
  private int maxParallel = 2;
  /** Retention: how far back point-in-time restore must reach, e.g. {@code 7d}. */
  private String retentionPolicy = "7d";
  @Min(1)
  private int minimumKept = 3;
  /** Retention: how old the newest restorable time may be before the window counts as stale. */
  private String maxArchiveLag = "10m";
  private boolean dryRun;
  /** Reaper: how long past its TTL a temporary instance may still exist before it is deleted. */
  private String grace = "1h";
  /** Drill: the DR region it restores in (the instance is the one of {@code instances}). */
  private String region;
  /** Drill: {@code latest-copy} or {@code pitr-latest}. */
  private String source = DrillSource.LATEST_COPY.wireName();
  /** Drill: the verification suite; {@code drills.defaultSuite} when left out. */
  private String verification;
  /** Drill: RTO and RPO targets; {@code drills.targets} for those left out. */
  private DrillsFactory.TargetsFactory targets;

  /** Drill schedules: {@code restore} (default) or {@code failover}. */
  private String drillKind = DrillKind.RESTORE.wireName();

  /** Failover drill schedules: the pooler database whose entry the drill copies. */
  private String database;

  /** Failover drill schedules: more expected loss fails the drill; null: no bound. */
  private String maxDataLoss;

  @JsonProperty
  public String getId() {
    return id;
  }

  @JsonProperty
  public void setId(String id) {
    this.id = id;
  }

  @JsonProperty
  public String getCron() {
    return cron;
  }

  @JsonProperty
  public void setCron(String cron) {
    this.cron = cron;
  }

  @JsonProperty
  public String getTimeZone() {
    return timeZone;
  }

  @JsonProperty
  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  @JsonProperty
  public String getKind() {
    return kind;
  }

  @JsonProperty
  public void setKind(String kind) {
    this.kind = kind;
  }

  @JsonProperty
  public String getPolicy() {
    return policy;
  }

  @JsonProperty
  public void setPolicy(String policy) {
    this.policy = policy;
  }

  @JsonProperty
  public List<String> getInstances() {
    return instances;
  }

  @JsonProperty
  public void setInstances(List<String> instances) {
    this.instances = instances;
  }

  @JsonProperty
  public List<String> getDrRegions() {
    return drRegions;
  }

  @JsonProperty
  public void setDrRegions(List<String> drRegions) {
    this.drRegions = drRegions;
  }

  @JsonProperty
  public int getMaxParallel() {
    return maxParallel;
  }

  @JsonProperty
  public void setMaxParallel(int maxParallel) {
    this.maxParallel = maxParallel;
  }

  @JsonProperty
  public String getRetentionPolicy() {
    return retentionPolicy;
  }

  @JsonProperty
  public void setRetentionPolicy(String retentionPolicy) {
    this.retentionPolicy = retentionPolicy;
  }

  @JsonProperty
  public int getMinimumKept() {
    return minimumKept;
  }

  @JsonProperty
  public void setMinimumKept(int minimumKept) {
    this.minimumKept = minimumKept;
  }

  @JsonProperty
  public String getMaxArchiveLag() {
    return maxArchiveLag;
  }

  @JsonProperty
  public void setMaxArchiveLag(String maxArchiveLag) {
    this.maxArchiveLag = maxArchiveLag;
  }

  @JsonProperty
  public boolean isDryRun() {
    return dryRun;
  }

  @JsonProperty
  public void setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
  }

  @JsonProperty
  public String getGrace() {
    return grace;
  }

  @JsonProperty
  public void setGrace(String grace) {
    this.grace = grace;
  }

  @JsonProperty
  public String getDrillKind() {
    return drillKind;
  }

  @JsonProperty
  public void setDrillKind(String drillKind) {
    this.drillKind = drillKind;
  }

  @JsonProperty
  public String getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(String database) {
    this.database = database;
  }

  @JsonProperty
  public String getMaxDataLoss() {
    return maxDataLoss;
  }

  @JsonProperty
  public void setMaxDataLoss(String maxDataLoss) {
    this.maxDataLoss = maxDataLoss;
  }

  /** @throws LifeboatException when the cron, time zone or a duration does not parse */
  public ScheduleSpec build() {
    Cron.parse(cron, timeZone);
    RunKind runKind = RunKind.fromWireName(kind);
    if (runKind == RunKind.REAPER) {
      return new ScheduleSpec(id, cron, timeZone, runKind, null, null,
          new ReapRequest(duration("grace", grace), null, null));
    }
    if (instances == null || instances.isEmpty()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + " (" + kind
          + ") names no instances: list them under 'instances'", Map.of("schedule", String.valueOf(id),
          "field", "instances"));
    }
    if (runKind == RunKind.DRILL) {
      return new ScheduleSpec(id, cron, timeZone, runKind, null, null, null, drill());
    }
    if (runKind == RunKind.RETENTION) {
      return new ScheduleSpec(id, cron, timeZone, runKind, null, new RetentionRequest(policy, List.copyOf(instances),
          duration("retentionPolicy", retentionPolicy), minimumKept, duration("maxArchiveLag", maxArchiveLag), dryRun,
          null, null));
    }
    return new ScheduleSpec(id, cron, timeZone, runKind,
        new SnapshotRequest(policy, List.copyOf(instances), List.copyOf(drRegions), null, null, null, maxParallel));
  }

  /** The drill a fire starts; requester and reason are set per fire. */
  private DrillRequest drill() {
    if (instances.size() != 1) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + " (drill) drills one instance: list"
          + " exactly one under 'instances'", Map.of("schedule", String.valueOf(id), "field", "instances"));
    }
    if (region == null || region.isBlank()) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + " (drill) names no DR region:"
          + " set 'region', e.g. dr-1", Map.of("schedule", String.valueOf(id), "field", "region"));
    }
    DrillSource drillSource;
    try {
      drillSource = DrillSource.fromWireName(source);
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + ": source '" + source
          + "' is not latest-copy or pitr-latest", Map.of("schedule", String.valueOf(id), "field", "source"));
    }
    DrillTargets drillTargets = targets == null ? null : new DrillTargets(
        targets.rto() == null ? null : duration("targets.rto", targets.rto()),
        targets.rpo() == null ? null : duration("targets.rpo", targets.rpo()));
    DrillKind kind;
    try {
      kind = DrillKind.fromWireName(drillKind);
    } catch (IllegalArgumentException e) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + ": drillKind '" + drillKind
          + "' is not restore or failover", Map.of("schedule", String.valueOf(id), "field", "drillKind"));
    }
    if (kind == DrillKind.RESTORE) {
      if (database != null || maxDataLoss != null) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + ": "
            + (database != null ? "database" : "maxDataLoss") + " belongs to failover drills (drillKind: failover)",
            Map.of("schedule", String.valueOf(id), "field", database != null ? "database" : "maxDataLoss"));
      }
      return new DrillRequest(instances.get(0), region, drillSource, verification, drillTargets, null, null);
    }
    if (drillSource != DrillSource.LATEST_COPY) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + " (failover drill): a failover drill"
          + " restores the newest copy in the region (latest-copy); remove 'source'",
          Map.of("schedule", String.valueOf(id), "field", "source"));
    }
    if (database == null || !database.matches("[a-z_][a-z0-9_]*")
        || database.length() > Rehearsal.MAX_DATABASE_LENGTH) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + " (failover drill) needs 'database':"
          + " the pooler database whose entry the drill copies, e.g. techcorp (at most "
          + Rehearsal.MAX_DATABASE_LENGTH + " characters)",
          Map.of("schedule", String.valueOf(id), "field", "database"));
    }
    // the analytics replica the failover recreates is the one the drill compares with (drills.analyticsReplicas)
    return new DrillRequest(instances.get(0), region, drillSource, verification, drillTargets, null, null, kind,
        database, null, maxDataLoss == null ? null : duration("maxDataLoss", maxDataLoss));
  }

  @JsonProperty
  public String getRegion() {
    return region;
  }

  @JsonProperty
  public void setRegion(String region) {
    this.region = region;
  }

  @JsonProperty
  public String getSource() {
    return source;
  }

  @JsonProperty
  public void setSource(String source) {
    this.source = source;
  }

  @JsonProperty
  public String getVerification() {
    return verification;
  }

  @JsonProperty
  public void setVerification(String verification) {
    this.verification = verification;
  }

  @JsonProperty
  public DrillsFactory.TargetsFactory getTargets() {
    return targets;
  }

  @JsonProperty
  public void setTargets(DrillsFactory.TargetsFactory targets) {
    this.targets = targets;
  }

  private Duration duration(String key, String text) {
    return DurationText.parse(text).filter(d -> !d.isNegative() && !d.isZero())
        .orElseThrow(() -> new LifeboatException(ErrorType.INVALID_REQUEST, "schedule " + id + ": " + key + " '" + text
            + "' is not " + DurationText.EXPECTED, Map.of("schedule", String.valueOf(id), "field", key)));
  }
}
