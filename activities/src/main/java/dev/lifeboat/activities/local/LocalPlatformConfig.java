package dev.lifeboat.activities.local;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 * @param drRegions regions snapshots and WAL can be copied to for disaster recovery; each has its
 *     own storage under {@code regions/<region>/} on this machine
 */
public record LocalPlatformConfig(
    Path dataRoot,
    Path binDir,
    String osUser,
    String region,
    Duration archiveTimeout,
    String walKeepSize,
    Clock clock,
    List<String> drRegions) {

  public static final String DEFAULT_REGION = "local-1";
  /** A region name is a directory name: lower-case letters, digits and hyphens. */
  private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

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
    drRegions = drRegions == null ? List.of() : List.copyOf(drRegions);
    Set<String> seen = new HashSet<>(Set.of(region));
    for (String dr : drRegions) {
      if (!REGION_NAME.matcher(dr).matches()) {
        throw new IllegalArgumentException("invalid DR region name '" + dr + "': lower-case letters, digits, '-'");
      }
      if (!seen.add(dr)) {
        throw new IllegalArgumentException("DR region '" + dr + "' is listed twice or is the home region");
      }
    }
  }

  /** Without DR regions (the form the launcher and older callers use). */
  public LocalPlatformConfig(Path dataRoot, Path binDir, String osUser, String region, Duration archiveTimeout,
      String walKeepSize, Clock clock) {
    this(dataRoot, binDir, osUser, region, archiveTimeout, walKeepSize, clock, List.of());
  }

  /** The home region first, then the DR regions. */
  public List<String> regions() {
    return Stream.concat(Stream.of(region), drRegions.stream()).toList();
  }

  /** Defaults for everything but the data root. */
  public static LocalPlatformConfig defaults(Path dataRoot) {
    return new LocalPlatformConfig(dataRoot, null, null, null, null, null, null);
  }

  public LocalPlatformConfig withArchiveTimeout(Duration timeout) {
    return new LocalPlatformConfig(dataRoot, binDir, osUser, region, timeout, walKeepSize, clock, drRegions);
  }

  public LocalPlatformConfig withRegion(String newRegion) {
    return new LocalPlatformConfig(dataRoot, binDir, osUser, newRegion, archiveTimeout, walKeepSize, clock, drRegions);
  }

  public LocalPlatformConfig withDrRegions(List<String> regions) {
    return new LocalPlatformConfig(dataRoot, binDir, osUser, region, archiveTimeout, walKeepSize, clock, regions);
  }
}
