package dev.lifeboat.fakerds;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fake keeps of a DB instance beyond the local platform's record: RDS settings, tags and
 * the status of work in flight. Immutable; the book replaces it on every change.
 *
 * @param managed one of the platform's own instances (never deleted through the fake)
 * @param status {@code available} means "as the local instance is" (available or stopped);
 *     otherwise {@code creating}, {@code modifying}, {@code deleting}, {@code failed} or
 *     {@code incompatible-restore}
 * @param reason why a restore failed
 * @param deleteRequested a DeleteDBInstance came while the restore was still running
 */
record InstanceRec(
    String region,
    String id,
    boolean managed,
    String status,
    String reason,
    String instanceClass,
    String subnetGroup,
    List<String> securityGroups,
    boolean publiclyAccessible,
    Instant createdAt,
    Map<String, String> tags,
    String kmsKeyId,
    String source,
    boolean deleteRequested) {

  static final String CREATING = "creating";
  static final String AVAILABLE = "available";
  static final String MODIFYING = "modifying";
  static final String DELETING = "deleting";
  static final String FAILED = "failed";
  static final String INCOMPATIBLE_RESTORE = "incompatible-restore";

  InstanceRec {
    tags = Map.copyOf(tags == null ? Map.of() : tags);
    securityGroups = List.copyOf(securityGroups == null ? List.of() : securityGroups);
  }

  boolean temporary() {
    return "true".equals(tags.get(RestoreTags.TEMPORARY));
  }

  InstanceRec withStatus(String newStatus, String newReason) {
    return new InstanceRec(region, id, managed, newStatus, newReason, instanceClass, subnetGroup, securityGroups,
        publiclyAccessible, createdAt, tags, kmsKeyId, source, deleteRequested);
  }

  InstanceRec withTags(Map<String, String> added) {
    Map<String, String> all = new LinkedHashMap<>(tags);
    all.putAll(added);
    return new InstanceRec(region, id, managed, status, reason, instanceClass, subnetGroup, securityGroups,
        publiclyAccessible, createdAt, all, kmsKeyId, source, deleteRequested);
  }

  InstanceRec deleting() {
    return new InstanceRec(region, id, managed, DELETING, null, instanceClass, subnetGroup, securityGroups,
        publiclyAccessible, createdAt, tags, kmsKeyId, source, true);
  }
}
