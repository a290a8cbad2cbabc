package dev.lifeboat.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One finding of a preflight: something a run will need, checked before the run needs it (an
 * instance exists and keeps automated backups, a DR region's KMS key can be used, quotas leave
 * room). Checked ahead of 03:00, not at 03:00.
 *
 * @param check what was checked, a stable name such as {@code credentials}, {@code instance},
 *     {@code automated-backups}, {@code kms-key}, {@code subnet-group}, {@code security-groups},
 *     {@code snapshot-quota}, {@code instance-quota}, {@code binaries}, {@code wal-archive}
 * @param instance the instance it concerns, or null
 * @param region the region it concerns, or null
 * @param message what was found and, when not ok, what to do about it
 * @param details measured values (quota used and max, retention days, key id ...)
 */
public record PreflightCheck(
    String check,
    String instance,
    String region,
    Status status,
    String message,
    Map<String, Object> details) {

  public enum Status {
    @JsonProperty("ok") OK,
    /** Works today but needs attention soon (a quota nearly used up). */
    @JsonProperty("warn") WARN,
    /** A run that needs this will fail. */
    @JsonProperty("fail") FAIL
  }

  public static PreflightCheck ok(String check, String instance, String region, String message,
      Map<String, Object> details) {
    return new PreflightCheck(check, instance, region, Status.OK, message, details);
  }

  public static PreflightCheck warn(String check, String instance, String region, String message,
      Map<String, Object> details) {
    return new PreflightCheck(check, instance, region, Status.WARN, message, details);
  }

  public static PreflightCheck fail(String check, String instance, String region, String message,
      Map<String, Object> details) {
    return new PreflightCheck(check, instance, region, Status.FAIL, message, details);
  }

  public boolean failed() {
    return status == Status.FAIL;
  }
}
