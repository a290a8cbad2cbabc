package dev.lifeboat.common.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration's {@code drills:} section, as the worker and the API use it.
 *
 * @param suites verification suites by name
 * @param defaultSuite the suite of a drill that names none
 * @param targets RTO and RPO targets of a drill that sets none
 * @param analyticsReplicas for each source instance, the replica its current data is read from
 *     (row counts, freshness); never the primary
 * @param instanceTtl expiry of a drill instance: a guard, the drill deletes it itself
 */
public record DrillSettings(
    Map<String, VerificationSuite> suites,
    String defaultSuite,
    DrillTargets targets,
    Map<String, String> analyticsReplicas,
    Duration instanceTtl) {

  public static final Duration DEFAULT_INSTANCE_TTL = Duration.ofHours(6);
  public static final DrillTargets DEFAULT_TARGETS = new DrillTargets(Duration.ofHours(1), Duration.ofHours(24));

  /** No suites: every drill request is refused for its suite. */
  public static final DrillSettings NONE = new DrillSettings(Map.of(), null, DEFAULT_TARGETS, Map.of(), null);

  public DrillSettings {
    suites = suites == null ? Map.of() : Map.copyOf(suites);
    targets = targets == null ? DEFAULT_TARGETS : new DrillTargets(
        targets.rto() == null ? DEFAULT_TARGETS.rto() : targets.rto(),
        targets.rpo() == null ? DEFAULT_TARGETS.rpo() : targets.rpo());
    analyticsReplicas = analyticsReplicas == null ? Map.of() : Map.copyOf(analyticsReplicas);
    instanceTtl = instanceTtl == null ? DEFAULT_INSTANCE_TTL : instanceTtl;
  }

  /** The suite of that name, or the default one when {@code name} is null. */
  public Optional<VerificationSuite> suite(String name) {
    return Optional.ofNullable(name == null ? defaultSuite : name).map(suites::get);
  }

  public List<String> suiteNames() {
    return suites.keySet().stream().sorted().toList();
  }

  /** The request's targets with the configured ones filled in. */
  public DrillTargets targetsFor(DrillTargets asked) {
    if (asked == null) {
      return targets;
    }
    return new DrillTargets(asked.rto() == null ? targets.rto() : asked.rto(),
        asked.rpo() == null ? targets.rpo() : asked.rpo());
  }

  public Optional<String> analyticsReplicaOf(String instance) {
    return Optional.ofNullable(analyticsReplicas.get(instance));
  }
}
