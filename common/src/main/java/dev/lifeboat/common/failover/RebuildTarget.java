package dev.lifeboat.common.failover;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.platform.Platform;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which primary a former primary is rebuilt from, checked against the platform's inventory: the
 * API refuses a bad request with it before a run starts, and the run checks again before it
 * changes anything. A failover records the promoted replica as a primary whose {@code source} is
 * the primary it replaced.
 */
public final class RebuildTarget {
  private RebuildTarget() {}

  /**
   * @param newPrimary the requested new primary; null: the one that replaced {@code instance}
   * @return the new primary's id
   * @throws LifeboatException INSTANCE_NOT_FOUND for an unknown {@code instance}; INVALID_REQUEST
   *     (details.field names {@code instance} or {@code newPrimary}) when it is not a former primary
   *     replaced by that primary, nor a replica of the primary that replaced it (rebuilt already)
   */
  public static String resolve(Platform platform, String instance, String newPrimary) {
    InstanceInfo info = platform.findInstance(instance).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "No managed instance is called '" + instance + "'; GET /v1/instances lists them.",
        Map.of("instance", instance)));
    List<String> replacements = platform.listInstances().stream()
        .filter(i -> i.role() == InstanceRole.PRIMARY && instance.equals(i.source()))
        .map(InstanceInfo::id)
        .toList();
    if (info.role() == InstanceRole.REPLICA && info.source() != null && replacements.contains(info.source())
        && (newPrimary == null || newPrimary.equals(info.source()))) {
      return info.source(); // rebuilt already, or half-way: the rebuild finishes it or says so
    }
    if (info.role() != InstanceRole.FORMER_PRIMARY) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, "Instance " + instance + " is a " + role(info)
          + (info.role() == InstanceRole.REPLICA ? " of " + info.source() : "") + ", not a former primary: only a"
          + " primary that a failover replaced is rebuilt as a replica of the new one.",
          Map.of("field", "instance", "role", role(info)));
    }
    if (newPrimary == null) {
      if (replacements.isEmpty()) {
        throw new LifeboatException(ErrorType.INVALID_REQUEST, "No primary replaced " + instance + ": the platform "
            + "records no instance promoted in its place. Name the primary to rebuild it from in newPrimary.",
            Map.of("field", "newPrimary"));
      }
      return replacements.get(0);
    }
    InstanceInfo target = platform.findInstance(newPrimary).orElseThrow(() -> new LifeboatException(
        ErrorType.INVALID_REQUEST, "newPrimary '" + newPrimary + "' is no managed instance; the instance that replaced "
            + instance + ": " + (replacements.isEmpty() ? "none" : String.join(", ", replacements)) + ".",
        Map.of("field", "newPrimary", "replacedBy", replacements)));
    if (target.role() != InstanceRole.PRIMARY || !instance.equals(target.source())) {
      throw new LifeboatException(ErrorType.INVALID_REQUEST, newPrimary + " is a " + role(target)
          + " that did not replace " + instance + "; a former primary is rebuilt from the primary promoted in its "
          + "place: " + (replacements.isEmpty() ? "none is recorded" : String.join(", ", replacements)) + ".",
          Map.of("field", "newPrimary", "replacedBy", replacements));
    }
    return newPrimary;
  }

  private static String role(InstanceInfo info) {
    return info.role() == null ? "instance" : info.role().name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
