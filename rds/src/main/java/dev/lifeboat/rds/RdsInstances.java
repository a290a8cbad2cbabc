package dev.lifeboat.rds;

import static dev.lifeboat.rds.RdsErrors.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.Endpoint;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The instances Lifeboat sees on RDS: the configured managed instances in the home region and the
 * temporary instances it created (tagged {@code lifeboat:temporary=true}) in any region. Only the
 * latter are ever deleted, and only after both checks (tag and not managed) pass.
 */
final class RdsInstances {
  private static final Logger log = LoggerFactory.getLogger(RdsInstances.class);
  /**
   * How long one call waits for a deleted instance to disappear: under the 5-minute StartToClose
   * of a quick activity. A longer deletion ends the attempt with a retryable failure, and the
   * retry, finding the instance {@code deleting}, only waits again.
   */
  static final Duration DELETE_WAIT = Duration.ofMinutes(4);

  private final RdsContext ctx;
  private volatile Duration deleteWait = DELETE_WAIT;

  RdsInstances(RdsContext ctx) {
    this.ctx = ctx;
  }

  void deleteWait(Duration d) {
    this.deleteWait = d;
  }

  List<InstanceInfo> list() {
    List<InstanceInfo> all = new ArrayList<>();
    Set<String> replaced = new HashSet<>();
    for (String region : ctx.regionNames()) {
      for (DBInstance db : ctx.describeAllInstances(region)) {
        toInfo(db, region).ifPresent(info -> {
          all.add(info);
          replacedBy(db, info).ifPresent(replaced::add);
        });
      }
    }
    return all.stream().map(info -> asFormer(info, replaced)).toList();
  }

  Optional<InstanceInfo> find(String id) {
    if (ctx.isManaged(id)) {
      // whether a failover replaced a managed primary only the whole fleet says: one pass over it
      return list().stream().filter(i -> i.id().equals(id)).findFirst();
    }
    return locate(id).flatMap(l -> toInfo(l.instance(), l.region()));
  }

  /**
   * The primary a failover replaced by this instance: one promoted from its replicas or restored in
   * a DR region carries {@code lifeboat:replaces} and is a primary now.
   */
  private static Optional<String> replacedBy(DBInstance db, InstanceInfo info) {
    String replaces = RdsTags.toMap(db.tagList()).get(RdsFailover.TAG_REPLACES);
    return info.role() == InstanceRole.PRIMARY && replaces != null && !replaces.isBlank()
        ? Optional.of(replaces) : Optional.empty();
  }

  private static InstanceInfo asFormer(InstanceInfo info, Set<String> replaced) {
    if (info.role() != InstanceRole.PRIMARY || !replaced.contains(info.id())) {
      return info;
    }
    return new InstanceInfo(info.id(), info.platform(), info.region(), InstanceRole.FORMER_PRIMARY, info.status(),
        info.endpoint(), info.source(), info.runId(), info.createdAt(), info.expiresAt());
  }

  /** An instance of that id in the home region first, then the DR regions. */
  Optional<Located> locate(String id) {
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    for (String region : ctx.regionNames()) {
      Optional<DBInstance> db = ctx.describeInstance(region, id);
      if (db.isPresent()) {
        return Optional.of(new Located(region, db.get()));
      }
    }
    return Optional.empty();
  }

  record Located(String region, DBInstance instance) {}

  /**
   * Deletes a temporary instance. Refused, with no DeleteDBInstance sent, for a configured managed
   * instance or anything not tagged {@code lifeboat:temporary=true}, whatever else is true of it.
   */
  boolean deleteTemporary(String id) {
    Optional<Located> found = locate(id);
    if (found.isEmpty()) {
      return false;
    }
    String region = found.get().region();
    DBInstance db = found.get().instance();
    Map<String, String> tags = RdsTags.toMap(db.tagList());
    if (ctx.isManaged(id) || !RdsTags.isTemporary(tags)) {
      String why = ctx.isManaged(id) ? "is a managed instance of Lifeboat's configuration"
          : "does not carry the tag " + RdsTags.TEMPORARY + "=true";
      throw new LifeboatException(ErrorType.NOT_A_TEMPORARY_INSTANCE, "Instance " + id + " in " + region + " " + why
          + "; only temporary instances created by Lifeboat are deleted, and nothing was sent to RDS",
          details("instance", id, "region", region, "managed", ctx.isManaged(id),
              "temporaryTag", tags.get(RdsTags.TEMPORARY)));
    }
    if (!"deleting".equalsIgnoreCase(db.dbInstanceStatus())) {
      try {
        ctx.rds(region).deleteDBInstance(b -> b.dbInstanceIdentifier(id).skipFinalSnapshot(true)
            .deleteAutomatedBackups(true));
        log.info("DeleteDBInstance {} in {} sent (run {})", id, region, tags.get(RdsTags.RUN));
      } catch (SdkException e) {
        if (RdsErrors.hasCode(e, RdsErrors.DB_INSTANCE_NOT_FOUND)) {
          return true;
        }
        // deleting already (another attempt or the reaper): wait below like for our own
        if (!RdsErrors.hasCode(e, "InvalidDBInstanceState")) {
          throw RdsErrors.translate(e, "DeleteDBInstance", region, details("instance", id));
        }
      }
    }
    long deadline = System.nanoTime() + deleteWait.toNanos();
    while (true) {
      Optional<DBInstance> still = ctx.describeInstance(region, id);
      if (still.isEmpty()) {
        log.info("Temporary instance {} in {} is gone", id, region);
        return true;
      }
      if (System.nanoTime() > deadline) {
        throw new RdsTransientException("Temporary instance " + id + " in " + region + " is still "
            + still.get().dbInstanceStatus() + " after " + deleteWait.toSeconds() + " s; waiting again on retry");
      }
      ctx.sleepPoll();
    }
  }

  /** Lifeboat's view of an RDS instance, or empty when it is neither managed nor a Lifeboat temporary. */
  Optional<InstanceInfo> toInfo(DBInstance db, String region) {
    String id = db.dbInstanceIdentifier();
    Map<String, String> tags = RdsTags.toMap(db.tagList());
    String host = db.endpoint() == null ? null : db.endpoint().address();
    int port = db.endpoint() == null || db.endpoint().port() == null ? 5432 : db.endpoint().port();
    String user = ctx.settings.database().user();
    if (ctx.isHome(region) && ctx.isManaged(id)) {
      String source = db.readReplicaSourceDBInstanceIdentifier();
      InstanceRole role = source == null || source.isBlank() ? InstanceRole.PRIMARY : InstanceRole.REPLICA;
      return Optional.of(new InstanceInfo(id, RdsPlatform.NAME, region, role, status(db.dbInstanceStatus()),
          new Endpoint(host, port, ctx.managed(id).database(), user), role == InstanceRole.REPLICA
          ? sourceId(source) : null, null, db.instanceCreateTime(), null));
    }
    String replaces = tags.get(RdsFailover.TAG_REPLACES);
    if (replaces != null && !replaces.isBlank() && !RdsTags.isTemporary(tags)) {
      // made by a failover (a DR primary, its replica, a replacement replica): permanent, part of the fleet now
      String source = db.readReplicaSourceDBInstanceIdentifier();
      InstanceRole role = source == null || source.isBlank() ? InstanceRole.PRIMARY : InstanceRole.REPLICA;
      String database = ctx.settings.instance(replaces).map(RdsSettings.Instance::database).orElse("postgres");
      return Optional.of(new InstanceInfo(id, RdsPlatform.NAME, region, role, status(db.dbInstanceStatus()),
          new Endpoint(host, port, database, user), role == InstanceRole.REPLICA ? sourceId(source) : null, null,
          db.instanceCreateTime(), null));
    }
    if (!RdsTags.isTemporary(tags)) {
      return Optional.empty();
    }
    String source = tags.get(RdsTags.SOURCE);
    String database = source == null ? null : ctx.settings.instance(source).map(RdsSettings.Instance::database)
        .orElse(null);
    // a failover drill's temporary read replica: its source is the drill's temporary primary
    String replicaOf = db.readReplicaSourceDBInstanceIdentifier();
    return Optional.of(new InstanceInfo(id, RdsPlatform.NAME, region, InstanceRole.TEMPORARY,
        status(db.dbInstanceStatus()), new Endpoint(host, port, database == null ? "postgres" : database, user),
        replicaOf == null || replicaOf.isBlank() ? source : sourceId(replicaOf), tags.get(RdsTags.RUN),
        db.instanceCreateTime(), instant(tags.get(RdsTags.EXPIRES_AT))));
  }

  /** A replica's source is an identifier in its region, or an ARN when it is in another. */
  private static String sourceId(String source) {
    int colon = source.lastIndexOf(':');
    return source.startsWith("arn:") && colon >= 0 ? source.substring(colon + 1) : source;
  }

  private static Instant instant(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** RDS's status as RDS says it ({@code available}, {@code stopped}, {@code creating}, {@code deleting} ...). */
  static String status(String rdsStatus) {
    return rdsStatus == null ? "unknown" : rdsStatus.toLowerCase(Locale.ROOT);
  }
}
