package dev.lifeboat.rds;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where AWS failures get their Lifeboat meaning. Throttling, 5xx and network
 * failures that outlived the SDK's own retries become {@link RdsTransientException}s, which
 * Temporal retries with backoff; everything a retry cannot fix becomes a typed
 * {@link LifeboatException} whose message says what failed, the AWS code, and what to do.
 */
final class RdsErrors {
  static final String DB_INSTANCE_NOT_FOUND = "DBInstanceNotFound";
  static final String DB_SNAPSHOT_NOT_FOUND = "DBSnapshotNotFound";
  static final String DB_SNAPSHOT_ALREADY_EXISTS = "DBSnapshotAlreadyExists";
  static final String DB_INSTANCE_ALREADY_EXISTS = "DBInstanceAlreadyExists";

  private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded",
      "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown");
  private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException",
      "KMSKeyNotAccessibleFault", "UnauthorizedOperation", "ExpiredToken", "ExpiredTokenException",
      "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "AuthFailure",
      "NotAuthorized");

  private RdsErrors() {}

  /** Runs one AWS call and translates what it throws; {@code action} is the API action, e.g. CreateDBSnapshot. */
  static <T> T call(String action, String region, Map<String, Object> details, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw translate(e, action, region, details);
    }
  }

  /** The AWS error code of a service failure, or null for anything else. */
  static String code(Throwable e) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      return ase.awsErrorDetails().errorCode();
    }
    return null;
  }

  static boolean hasCode(Throwable e, String code) {
    return code.equals(code(e));
  }

  static boolean isThrottling(Throwable e) {
    if (!(e instanceof AwsServiceException ase)) {
      return false;
    }
    String message = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorMessage();
    return ase.isThrottlingException() || THROTTLING.contains(code(e))
        || (message != null && message.contains("Rate exceeded"));
  }

  /**
   * The failure to throw for {@code e} in a step named by what it was doing rather than by one API
   * action (a failover's steps: "promoting techcorp-replica-1").
   */
  static RuntimeException translate(SdkException e, String doing, String instance) {
    return translate(e, doing, null, details("instance", instance));
  }

  /**
   * The failure to throw for {@code e}.
   *
   * @param action the API action (CreateDBSnapshot), or what was being done ("promoting techcorp-replica-1")
   * @param details what the call was about (instance, snapshot...); region, AWS code and request id are added
   */
  static RuntimeException translate(SdkException e, String action, String region, Map<String, Object> details) {
    Map<String, Object> all = new LinkedHashMap<>(details == null ? Map.of() : details);
    if (region != null) {
      all.put("region", region);
    }
    all.put("awsAction", action);
    if (!(e instanceof AwsServiceException ase)) {
      // no answer from AWS (connection refused, timeout): nothing was decided, so a retry may succeed
      return new RdsTransientException(describe(action, region) + " got no answer: " + e.getMessage()
          + "; it will be retried", e);
    }
    String code = code(e);
    String awsMessage = ase.awsErrorDetails() == null ? ase.getMessage() : ase.awsErrorDetails().errorMessage();
    int status = ase.statusCode();
    if (code != null) {
      all.put("awsCode", code);
    }
    if (ase.requestId() != null) {
      all.put("requestId", ase.requestId());
    }
    all.put("httpStatus", status);
    String what = describe(action, region) + " failed with " + code + " (" + awsMessage + ")";
    if (isThrottling(e)) {
      return new RdsTransientException(what + ": AWS is throttling Lifeboat's calls after the SDK's own retries;"
          + " the call will be retried with backoff", e);
    }
    if (status >= 500) {
      return new RdsTransientException(what + ": an AWS-side error; the call will be retried with backoff", e);
    }
    String in = region == null ? "" : " in " + region;
    ErrorType type;
    String todo;
    if (DB_INSTANCE_NOT_FOUND.equals(code)) {
      type = ErrorType.INSTANCE_NOT_FOUND;
      todo = "check the instance identifier and its region" + in;
    } else if (DB_SNAPSHOT_NOT_FOUND.equals(code)) {
      type = ErrorType.SNAPSHOT_NOT_FOUND;
      todo = "check the snapshot identifier and the region it is in";
    } else if ("InvalidDBInstanceState".equals(code) || "InvalidDBSnapshotState".equals(code)) {
      type = ErrorType.INVALID_INSTANCE_STATE;
      todo = "wait until the instance or snapshot is available (see its status in the RDS console) and run again";
    } else if ("SnapshotQuotaExceeded".equals(code)) {
      type = ErrorType.SNAPSHOT_QUOTA_EXCEEDED;
      todo = "delete expired manual snapshots" + in + " (a retention run) or ask AWS for a higher"
          + " manual snapshot quota";
    } else if ("InstanceQuotaExceeded".equals(code)) {
      type = ErrorType.INSTANCE_QUOTA_EXCEEDED;
      todo = "delete temporary instances nobody needs" + in + " or ask AWS for a higher DB instance quota";
    } else if ("StorageQuotaExceeded".equals(code)) {
      type = ErrorType.STORAGE_QUOTA_EXCEEDED;
      todo = "free allocated storage" + in + " or ask AWS for a higher storage quota";
    } else if (ACCESS_DENIED.contains(code) || status == 403) {
      type = ErrorType.PLATFORM_ACCESS_DENIED;
      todo = "KMSKeyNotAccessibleFault".equals(code)
          ? "grant Lifeboat's role use of the KMS key (kms:CreateGrant, kms:DescribeKey)"
          + in + " and check the key is enabled"
          : "grant Lifeboat's IAM role " + (isAction(action) ? iamAction(action) : "what docs/iam-policy.json allows")
          + in + " (docs/ holds the policy) or renew its credentials";
    } else {
      type = ErrorType.PLATFORM_ERROR;
      todo = "read the AWS message; the request id helps AWS support";
    }
    return new LifeboatException(type, what + ": " + todo + "." + (ase.requestId() == null ? ""
        : " Request id " + ase.requestId() + "."), all, e);
  }

  /** "RDS CreateDBSnapshot in us-east-1", or for a step named by what it did, "RDS, promoting techcorp-replica-1,". */
  private static String describe(String action, String region) {
    String where = region == null ? "" : " in " + region;
    return isAction(action) ? "RDS " + action + where : "RDS, " + action + where + ",";
  }

  private static boolean isAction(String action) {
    return action != null && action.indexOf(' ') < 0;
  }

  /** The IAM action of an API action, for the message of an AccessDenied. */
  static String iamAction(String action) {
    if ("DescribeSecurityGroups".equals(action)) {
      return "ec2:" + action;
    }
    if ("DescribeKey".equals(action) || "CreateGrant".equals(action)) {
      return "kms:" + action;
    }
    return "rds:" + action;
  }

  static Map<String, Object> details(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      if (v != null) {
        map.put((String) keyValues[i], v instanceof Instant ? v.toString() : v);
      }
    }
    return map;
  }
}
