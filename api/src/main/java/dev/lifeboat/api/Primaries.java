package dev.lifeboat.api;

import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.platform.Platform;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The managed primaries of the platform: the instances whose snapshots Lifeboat takes and expires. */
public final class Primaries {
  private Primaries() {}

  /** Every primary of the platform, in the platform's order. */
  public static List<String> all(Platform platform) {
    return platform.listInstances().stream()
        .filter(info -> info.role() == InstanceRole.PRIMARY)
        .map(InstanceInfo::id)
        .toList();
  }

  /**
   * 404 INSTANCE_NOT_FOUND when no managed instance has the id; 400 naming {@code field} (and the
   * role in {@code details.role}) when it is not a primary.
   *
   * @param onlyPrimaries why, e.g. "only managed primaries are snapshotted"
   * @param verb what to do to a replica's primary instead, e.g. "Snapshot"
   */
  public static void require(Platform platform, String field, String instance, String onlyPrimaries, String verb) {
    InstanceInfo info = platform.findInstance(instance).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "No managed instance is called '" + instance + "'; GET /v1/instances lists them.",
        Map.of("instance", instance)));
    if (info.role() != InstanceRole.PRIMARY) {
      String role = info.role() == null ? "unknown" : info.role().name().toLowerCase(Locale.ROOT);
      String hint = info.role() == InstanceRole.REPLICA && info.source() != null
          ? " " + verb + " its primary " + info.source() + " instead."
          : "";
      throw InvalidRequest.field(field, "instance '" + instance + "' is " + role + ": " + onlyPrimaries + "." + hint,
          Map.of("role", role));
    }
  }
}
