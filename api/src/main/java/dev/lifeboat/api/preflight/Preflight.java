package dev.lifeboat.api.preflight;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.PreflightCheck;
import dev.lifeboat.common.platform.Platform;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The platform's preflight, kept for a short while: answered to {@code POST /v1/preflight}, read
 * before a run starts (a run whose instance or region fails a check is refused with
 * PREFLIGHT_FAILED and nothing starts), and exported as metrics so an alert fires hours before the
 * 03:00 snapshots rather than at 03:00.
 */
public final class Preflight {
  /**
   * The connection pooler's checks: only a failover switches traffic, and it refuses at its own
   * preflight when the pooler cannot be driven, so these refuse no restore, snapshot or drill.
   */
  static final Set<String> POOLER = Set.of("pooler-databases-file", "pooler-admin", "pooler-entry");
  /** Checks a restore, a table recovery or a drill does not need: they take no snapshot. */
  public static final Set<String> NOT_NEEDED_TO_RESTORE = union(Set.of("snapshot-quota"), POOLER);
  /** Checks a snapshot does not need: it creates no instance and logs in to none. */
  public static final Set<String> NOT_NEEDED_TO_SNAPSHOT = union(Set.of("instance-quota", "database-login",
      "subnet-group", "security-groups"), POOLER);

  /** A run is refused on findings at most this old; older ones are checked again first. */
  static final Duration GATE_MAX_AGE = Duration.ofSeconds(60);

  private final Platform platform;
  private final Supplier<List<PreflightCheck>> poolerChecks;
  private final Clock clock;
  private volatile Result last;

  public Preflight(Platform platform, Clock clock) {
    this(platform, List::of, clock);
  }

  /** @param poolerChecks the checks of the pooler a failover switches, after the platform's own */
  public Preflight(Platform platform, Supplier<List<PreflightCheck>> poolerChecks, Clock clock) {
    this.platform = platform;
    this.poolerChecks = poolerChecks;
    this.clock = clock;
  }

  /** The findings of one preflight. */
  public record Result(Instant checkedAt, String platform, List<PreflightCheck> checks) {
    public boolean ok() {
      return checks.stream().noneMatch(PreflightCheck::failed);
    }

    public long count(PreflightCheck.Status status) {
      return checks.stream().filter(c -> c.status() == status).count();
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** Checks now. */
  public Result run() {
    List<PreflightCheck> checks = new ArrayList<>(platform.preflight());
    checks.addAll(poolerChecks.get());
    Result result = new Result(clock.instant(), platform.name(), List.copyOf(checks));
    last = result;
    return result;
  }

  /** The last findings when younger than {@code maxAge}, else new ones. */
  public Result recent(Duration maxAge) {
    Result result = last;
    if (result == null || result.checkedAt().plus(maxAge).isBefore(clock.instant())) {
      return run();
    }
    return result;
  }

  /**
   * Refuses a run on {@code instance} when a check concerning it fails: a check of that instance,
   * or of no instance in the home region or one of {@code otherRegions} (a null entry: every
   * region). A failure found earlier is checked again before refusing, so a fixed problem never
   * blocks a run for long.
   *
   * @throws LifeboatException PREFLIGHT_FAILED naming each failed check and what to do
   */
  public void require(String instance, Collection<String> otherRegions) {
    require(instance, otherRegions, Set.of());
  }

  /**
   * As {@link #require(String, Collection)}, leaving out checks a run of its kind does not need
   * (a restore takes no snapshot, so a full snapshot quota does not concern it).
   */
  public void require(String instance, Collection<String> otherRegions, Set<String> notNeeded) {
    Set<String> regions = new LinkedHashSet<>();
    regions.add(platform.regions().get(0));
    boolean everyRegion = otherRegions.stream().anyMatch(Objects::isNull); // List.of(...).contains(null) throws
    otherRegions.stream().filter(Objects::nonNull).forEach(regions::add);
    Predicate<PreflightCheck> concerns = c -> c.failed() && !notNeeded.contains(c.check())
        && (c.instance() == null || c.instance().equals(instance))
        && (c.region() == null || everyRegion || regions.contains(c.region()));
    List<PreflightCheck> failures = recent(GATE_MAX_AGE).checks().stream().filter(concerns).toList();
    if (!failures.isEmpty()) {
      failures = run().checks().stream().filter(concerns).toList();
    }
    if (failures.isEmpty()) {
      return;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("instance", instance);
    details.put("regions", everyRegion ? platform.regions() : List.copyOf(regions));
    details.put("failedChecks", failures);
    throw new LifeboatException(ErrorType.PREFLIGHT_FAILED, "Preflight found " + failures.size() + " problem"
        + (failures.size() == 1 ? "" : "s") + " a run on " + instance + " would meet: "
        + failures.stream().map(f -> f.check() + ": " + f.message()).collect(Collectors.joining("; "))
        + ". Fix them and retry; POST /v1/preflight shows every check", details);
  }
}
