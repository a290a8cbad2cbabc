package dev.lifeboat.activities.local;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Settings of the local platform.
 *
 * @param dataRoot where instances, snapshots and archived WAL live; every parent directory must
 *     be traversable by {@code osUser} when running as root
 * @param binDir PostgreSQL 15 binaries; null to search (see {@link PgBinaries})
 * @param osUser the unprivileged user servers run as when this process is root
 * @param region the region this machine stands for
 * @param archiveTimeout forces a WAL segment switch on an idle primary so the restorable window
 *     keeps moving (DESIGN.md, pitfall 3)
 * @param walKeepSize WAL a primary keeps for replicas that fall behind, e.g. {@code 256MB}
 */
public record LocalPlatformConfig(
    Path dataRoot,
    Path binDir,
    String osUser,
    String region,
    Duration archiveTimeout,
    String walKeepSize,
    Clock clock) {

  public static final String DEFAULT_REGION = "local-1";

  public LocalPlatformConfig {
    if (dataRoot == null) {
      throw new IllegalArgumentException("dataRoot is required");
    }
    dataRoot = dataRoot.toAbsolutePath().normalize();
    osUser = osUser == null || osUser.isBlank() ? OsUser.DEFAULT : osUser;
    region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    archiveTimeout = archiveTimeout == null ? Duration.ofSeconds(60) : archiveTimeout;
    walKeepSize = walKeepSize == null || walKeepSize.isBlank() ? "256MB" : walKeepSize;
    clock = clock == null ? Clock.systemUTC() : clock;
    if (archiveTimeout.isNegative() || archiveTimeout.isZero()) {
      throw new IllegalArgumentException("archiveTimeout must be positive");
    }
  }

  /** Defaults for everything but the data root. */
  public static LocalPlatformConfig defaults(Path dataRoot) {
    return new LocalPlatformConfig(dataRoot, null, null, null, null, null, null);
  }

  public LocalPlatformConfig withArchiveTimeout(Duration timeout) {
    return new LocalPlatformConfig(dataRoot, binDir, osUser, region, timeout, walKeepSize, clock);
  }

  public LocalPlatformConfig withRegion(String newRegion) {
    return new LocalPlatformConfig(dataRoot, binDir, osUser, newRegion, archiveTimeout, walKeepSize, clock);
  }
}
