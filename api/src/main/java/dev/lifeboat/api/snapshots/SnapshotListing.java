package dev.lifeboat.api.snapshots;

import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.ListPages;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.RegionSnapshotView;
import dev.lifeboat.api.views.SnapshotCopyView;
import dev.lifeboat.api.views.SnapshotListView;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.model.SnapshotInfo;
import dev.lifeboat.common.platform.Platform;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/snapshots}: the home region's snapshots, each with its copies in the DR regions,
 * or the snapshots of one DR region. The query parameters are parsed here, not by Jersey, so a bad
 * one is a 400 that says what to send.
 */
public final class SnapshotListing {
  /** Newest first; a snapshot that has not said when it began sorts last. */
  private static final Comparator<SnapshotInfo> NEWEST_FIRST =
      Comparator.comparing(SnapshotInfo::startedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
          .thenComparing(SnapshotInfo::id).reversed();

  /** The cursor keeps the start time and id of the last snapshot: the next page sorts after it. */
  private static final ListPages<SnapshotInfo> PAGES = new ListPages<>("n1",
      s -> List.of(s.startedAt() == null ? "" : s.startedAt().toString(), s.id()),
      key -> s -> NEWEST_FIRST.compare(s, position(key)) > 0);

  private final Platform platform;
  private final Clock clock;

  public SnapshotListing(Platform platform, Clock clock) {
    this.platform = platform;
    this.clock = clock;
  }

  /**
   * @param instance optional instance id
   * @param region optional; the home region when left out
   * @param olderThan optional duration: only snapshots that began longer ago than this
   */
  public SnapshotListView list(String instance, String region, String olderThan, String limit, String cursor) {
    String instanceId = blank(instance) ? null : instance.strip();
    if (instanceId != null && !Ids.validInstanceId(instanceId)) {
      throw InvalidRequest.field("instance", "instance '" + instance + "' is not an instance id, e.g. techcorp-primary.");
    }
    Duration minAge = blank(olderThan) ? null : minAge(olderThan);
    Regions regions = Regions.of(platform);
    String listed = blank(region) ? regions.home() : regions.require(region.strip());
    boolean home = listed.equals(regions.home());

    Instant now = clock.instant();
    Map<String, List<SnapshotCopyView>> copies = home ? copiesById(instanceId, regions.dr()) : Map.of();
    List<SnapshotInfo> sorted = platform.listSnapshots(instanceId, listed).stream()
        .filter(s -> minAge == null || (s.startedAt() != null && s.startedAt().isBefore(now.minus(minAge))))
        .sorted(NEWEST_FIRST)
        .toList();
    ListPages.Page<SnapshotInfo> page = PAGES.page(sorted, cursor, limit);
    return new SnapshotListView(page.items().stream()
        .map(s -> RegionSnapshotView.of(s, now, copies.getOrDefault(s.id(), List.of())))
        .toList(), page.nextCursor());
  }

  private static SnapshotInfo position(List<String> key) {
    if (key.size() != 2) {
      throw ListPages.badCursor();
    }
    try {
      return new SnapshotInfo(key.get(1), null, null, null, key.get(0).isEmpty() ? null : Instant.parse(key.get(0)),
          null, 0, Map.of());
    } catch (DateTimeParseException e) {
      throw ListPages.badCursor();
    }
  }

  /** Copies keep their snapshot's id: one listing per DR region finds them all, in region order. */
  private Map<String, List<SnapshotCopyView>> copiesById(String instanceId, List<String> drRegions) {
    Map<String, List<SnapshotCopyView>> copies = new HashMap<>();
    for (String dr : drRegions) {
      for (SnapshotInfo copy : platform.listSnapshots(instanceId, dr)) {
        copies.computeIfAbsent(copy.id(), id -> new ArrayList<>()).add(SnapshotCopyView.of(copy));
      }
    }
    return copies;
  }

  private static Duration minAge(String text) {
    Duration age = DurationText.parse(text).orElseThrow(() -> InvalidRequest.field("olderThan",
        "olderThan '" + text + "' is not " + DurationText.EXPECTED + ".", Map.of("expected", DurationText.EXPECTED)));
    if (age.isNegative()) {
      throw InvalidRequest.field("olderThan", "olderThan must not be negative, e.g. 7d.");
    }
    return age;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
