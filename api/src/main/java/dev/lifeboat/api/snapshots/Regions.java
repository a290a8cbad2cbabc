package dev.lifeboat.api.snapshots;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.platform.Platform;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The platform's regions as the API names them: the home region first, then the DR regions. */
record Regions(String home, List<String> dr) {

  static Regions of(Platform platform) {
    List<String> all = platform.regions();
    if (all.isEmpty()) {
      throw new IllegalStateException("platform " + platform.name() + " serves no region");
    }
    return new Regions(all.get(0), List.copyOf(all.subList(1, all.size())));
  }

  List<String> all() {
    return Stream.concat(Stream.of(home), dr.stream()).toList();
  }

  /** 404 REGION_NOT_FOUND unless {@code region} is a DR region; copies go to DR regions only. */
  String requireDr(String region) {
    if (dr.contains(region)) {
      return region;
    }
    String why = home.equals(region)
        ? "'" + region + "' is the home region, where the snapshot is taken; copies go to DR regions only"
        : "The platform serves no region '" + region + "'";
    throw new LifeboatException(ErrorType.REGION_NOT_FOUND,
        why + ". DR regions: " + (dr.isEmpty() ? "none" : String.join(", ", dr)) + ".",
        Map.of("field", "drRegions", "region", region, "drRegions", dr));
  }

  /** 404 REGION_NOT_FOUND unless the platform serves {@code region}. */
  String require(String region) {
    if (all().contains(region)) {
      return region;
    }
    throw new LifeboatException(ErrorType.REGION_NOT_FOUND,
        "The platform serves no region '" + region + "'. Regions: " + String.join(", ", all()) + ".",
        Map.of("field", "region", "region", region, "regions", all()));
  }
}
