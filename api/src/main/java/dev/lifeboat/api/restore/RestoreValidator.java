package dev.lifeboat.api.restore;

import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.RequestText;
import dev.lifeboat.api.RestoreLimits;
import dev.lifeboat.api.errors.InvalidRequest;
import dev.lifeboat.api.views.RestoreBody;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.Ids;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestoreRequest;
import dev.lifeboat.common.platform.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a restore request completely before anything is created: the fields first (cheap, no
 * I/O), then the instance, then the platform's verdict on the target time. What it returns can
 * be started as is.
 */
public final class RestoreValidator {
  /** PostgreSQL truncates identifiers at 63 bytes; a longer name cannot be a schema. */
  static final int MAX_SCHEMA_CHARS = 63;

  private final Platform platform;
  private final RestoreLimits limits;

  public RestoreValidator(Platform platform, RestoreLimits limits) {
    this.platform = platform;
    this.limits = limits;
  }

  public RestoreRequest validate(RestoreBody body, String requester) {
    if (body == null) {
      throw InvalidRequest.field("body", "The request needs a JSON body, e.g. {\"instance\": \"techcorp-primary\","
          + " \"targetTime\": \"2026-11-24T10:31:00Z\", \"reason\": \"rows deleted at 10:32\"}.");
    }
    String instance = RequestText.required("instance", body.instance());
    if (!Ids.validInstanceId(instance)) {
      throw InvalidRequest.field("instance", "instance '" + instance + "' is not an instance id: a letter, then"
          + " letters, digits and single hyphens, at most 63 characters, e.g. techcorp-primary.");
    }
    Instant targetTime = TargetTime.parse("targetTime", RequestText.required("targetTime", body.targetTime()));
    Duration ttl = ttl(body.ttl());
    String reason = RequestText.reason(body.reason());
    String schema = schema(body.schema());
    checkRestorable(instance);
    // the platform owns the window: future, outside the window, missing WAL, unknown instance
    platform.planRestore(instance, targetTime);
    return new RestoreRequest(instance, targetTime, ttl, reason, requester, schema);
  }

  private void checkRestorable(String instance) {
    InstanceInfo info = platform.findInstance(instance).orElseThrow(() -> new LifeboatException(
        ErrorType.INSTANCE_NOT_FOUND, "No managed instance is called '" + instance + "'; GET /v1/instances lists them.",
        Map.of("instance", instance)));
    if (info.role() == InstanceRole.TEMPORARY || info.role() == InstanceRole.INTERNAL) {
      String role = info.role().name().toLowerCase(Locale.ROOT);
      String hint = info.role() == InstanceRole.TEMPORARY && info.source() != null
          ? " Restore its source " + info.source() + " instead."
          : "";
      throw InvalidRequest.field("instance", "instance '" + instance + "' is " + role
          + " and cannot be restored: only managed primaries and replicas have backups." + hint,
          Map.of("role", role));
    }
  }

  private Duration ttl(String text) {
    if (text == null) {
      return limits.defaultTtl();
    }
    Duration ttl = DurationText.parse(text).orElseThrow(() -> InvalidRequest.field("ttl",
        "ttl '" + text + "' is not " + DurationText.EXPECTED + ".", Map.of("expected", DurationText.EXPECTED)));
    if (ttl.isZero() || ttl.isNegative() || ttl.compareTo(limits.maxTtl()) > 0) {
      throw InvalidRequest.field(ErrorType.TTL_OUT_OF_RANGE, "ttl",
          "ttl " + ttl + " is outside the allowed range: more than zero and at most " + limits.maxTtl() + ".",
          Map.of("max", limits.maxTtl().toString()));
    }
    return ttl;
  }

  private static String schema(String schema) {
    if (schema == null) {
      return null;
    }
    if (schema.isBlank() || schema.length() > MAX_SCHEMA_CHARS || schema.chars().anyMatch(Character::isISOControl)) {
      throw InvalidRequest.field("schema", "schema must be a schema name of 1 to " + MAX_SCHEMA_CHARS
          + " characters, e.g. orders; leave it out to verify all schemas.");
    }
    return schema;
  }
}
