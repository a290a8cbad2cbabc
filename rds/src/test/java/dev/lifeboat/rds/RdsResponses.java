package dev.lifeboat.rds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * RDS Query API answers shaped as the RDS API reference shows them, read from
 * {@code rds-responses/} with {@code @NAME@} placeholders filled in. A line whose placeholder has
 * a null value is left out, as RDS leaves out an element it has no value for.
 */
final class RdsResponses {
  private RdsResponses() {}

  static String render(String file, Map<String, ?> values) {
    String text = read(file);
    return text.lines()
        .filter(line -> values.entrySet().stream().noneMatch(e -> e.getValue() == null
            && line.contains("@" + e.getKey() + "@")))
        .map(line -> {
          String out = line;
          for (Map.Entry<String, ?> e : values.entrySet()) {
            if (e.getValue() != null) {
              out = out.replace("@" + e.getKey() + "@", String.valueOf(e.getValue()));
            }
          }
          return out;
        })
        .collect(Collectors.joining("\n"));
  }

  static String read(String file) {
    try (InputStream in = RdsResponses.class.getResourceAsStream("/rds-responses/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no rds-responses/" + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A DBSnapshot element. */
  static String snapshot(String id, String instance, String region, String status, Integer percent, Instant time,
      boolean encrypted, String sourceRegion) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("ID", id);
    v.put("INSTANCE", instance);
    v.put("REGION", region);
    v.put("STATUS", status);
    v.put("PERCENT", percent);
    v.put("TIME", time);
    v.put("ENCRYPTED", encrypted);
    v.put("SOURCE", sourceRegion == null ? "" : "\n        <SourceRegion>" + sourceRegion + "</SourceRegion>"
        + "\n        <SourceDBSnapshotIdentifier>arn:aws:rds:" + sourceRegion + ":123456789012:snapshot:" + id
        + "</SourceDBSnapshotIdentifier>");
    return render("DBSnapshot.xml", v);
  }

  static String describeSnapshots(List<String> snapshots) {
    return render("DescribeDBSnapshots.xml", Map.of("SNAPSHOTS", String.join("\n", snapshots)));
  }

  /** A DBInstance element; {@code tags} become its TagList. */
  static String instance(String id, String region, String status, int retention, Instant latestRestorable,
      String replicaSource, boolean encrypted, Map<String, String> tags) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("ID", id);
    v.put("REGION", region);
    v.put("STATUS", status);
    v.put("RETENTION", retention);
    v.put("LATEST", latestRestorable);
    v.put("ENCRYPTED", encrypted);
    v.put("REPLICA_SOURCE", replicaSource == null ? "" : "\n        <ReadReplicaSourceDBInstanceIdentifier>"
        + replicaSource + "</ReadReplicaSourceDBInstanceIdentifier>");
    v.put("TAGS", tags.entrySet().stream().map(e -> "\n          <Tag>\n            <Key>" + e.getKey()
        + "</Key>\n            <Value>" + e.getValue() + "</Value>\n          </Tag>").collect(Collectors.joining()));
    return render("DBInstance.xml", v);
  }

  static String describeInstances(List<String> instances) {
    return render("DescribeDBInstances.xml", Map.of("INSTANCES", String.join("\n", instances)));
  }

  static String wrap(String file, String key, String element) {
    return render(file, Map.of(key, element));
  }

  static String error(String code, String message) {
    return render("Error.xml", Map.of("CODE", code, "MESSAGE", message));
  }

  static String accountAttributes(long snapshotsUsed, long snapshotsMax, long instancesUsed, long instancesMax) {
    return render("DescribeAccountAttributes.xml", Map.of("SNAPSHOTS_USED", snapshotsUsed, "SNAPSHOTS_MAX",
        snapshotsMax, "INSTANCES_USED", instancesUsed, "INSTANCES_MAX", instancesMax));
  }
}
