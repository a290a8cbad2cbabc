package dev.lifeboat.rds;

import static dev.lifeboat.rds.RdsErrors.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.model.AccountQuota;

/**
 * Account quotas of a region, read from DescribeAccountAttributes. A snapshot or copy over the
 * manual-snapshot quota fails in RDS with SnapshotQuotaExceeded after the work was queued; checking
 * first fails the run at once with the numbers an on-call engineer needs.
 */
final class RdsQuotas {
  static final String MANUAL_SNAPSHOTS = "ManualSnapshots";
  static final String DB_INSTANCES = "DBInstances";

  private static final Logger log = LoggerFactory.getLogger(RdsQuotas.class);

  /** A quota's usage. */
  record Usage(String name, long used, long max, String source) {
    long left() {
      return Math.max(0, max - used);
    }
  }

  private final RdsContext ctx;

  RdsQuotas(RdsContext ctx) {
    this.ctx = ctx;
  }

  /** The named quota as AWS reports it, or empty when the answer does not list it. */
  Optional<Usage> reported(String region, String name) {
    return RdsErrors.call("DescribeAccountAttributes", region, details("quota", name),
        () -> ctx.rds(region).describeAccountAttributes().accountQuotas().stream()
            .filter(q -> name.equals(q.accountQuotaName()) && q.max() != null)
            .findFirst()
            .map((AccountQuota q) -> new Usage(name, q.used() == null ? 0 : q.used(), q.max(),
                "DescribeAccountAttributes")));
  }

  /**
   * The manual snapshot quota: as AWS reports it, else the configured quota against the manual
   * snapshots counted in the region; empty when neither is known.
   */
  Optional<Usage> manualSnapshots(String region) {
    Optional<Usage> reported;
    try {
      reported = reported(region, MANUAL_SNAPSHOTS);
    } catch (LifeboatException e) {
      if (e.type() != ErrorType.PLATFORM_ACCESS_DENIED) {
        throw e;
      }
      log.warn("Cannot read the account quotas of {} ({}); counting manual snapshots against the configured quota",
          region, e.getMessage());
      reported = Optional.empty();
    }
    if (reported.isPresent()) {
      return reported;
    }
    int configured = ctx.region(region).manualSnapshotQuota();
    if (configured <= 0) {
      return Optional.empty();
    }
    long used = ctx.describeSnapshots(region, null, "manual").size();
    return Optional.of(new Usage(MANUAL_SNAPSHOTS, used, configured, "configured manualSnapshotQuota"));
  }

  /** SNAPSHOT_QUOTA_EXCEEDED when no manual snapshot can be added in {@code region}. */
  void requireSnapshotRoom(String region, String snapshotId, String what) {
    Optional<Usage> usage = manualSnapshots(region);
    if (usage.isPresent() && usage.get().used() >= usage.get().max()) {
      Usage u = usage.get();
      throw new LifeboatException(ErrorType.SNAPSHOT_QUOTA_EXCEEDED, "Cannot " + what + ": the manual snapshot"
          + " quota of " + region + " is used up (" + u.used() + " of " + u.max() + ", from " + u.source()
          + "). Delete expired snapshots there (a retention run) or ask AWS for a higher ManualSnapshots quota.",
          details("region", region, "snapshotId", snapshotId, "used", u.used(), "max", u.max(),
              "quota", MANUAL_SNAPSHOTS));
    }
  }
}
