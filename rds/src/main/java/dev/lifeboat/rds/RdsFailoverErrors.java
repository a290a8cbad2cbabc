package dev.lifeboat.rds;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InstanceQuotaExceededException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.KmsKeyNotAccessibleException;
import software.amazon.awssdk.services.rds.model.StorageQuotaExceededException;

/**
 * How the failover operations report RDS errors. What waiting or trying again can fix (throttling,
 * 5xx, a connection that dropped) is rethrown as it is: Temporal retries the activity, and every
 * operation is idempotent. What it cannot fix becomes a typed {@link LifeboatException}, which the
 * activity turns into a non-retryable failure an on-call engineer can read.
 */
final class RdsFailoverErrors {
  private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException",
      "UnauthorizedOperation", "NotAuthorized", "InvalidClientTokenId", "ExpiredToken");

  private RdsFailoverErrors() {}

  /** @param doing what was being done, for the message ("promoting techcorp-replica-1") */
  static RuntimeException map(SdkException e, String doing, String instance) {
    Map<String, Object> details = Map.of("instance", instance);
    if (e instanceof DbInstanceNotFoundException) {
      return new LifeboatException(ErrorType.INSTANCE_NOT_FOUND, "RDS has no DB instance " + instance
          + " in this region (while " + doing + ").", details, e);
    }
    if (e instanceof InvalidDbInstanceStateException) {
      return new LifeboatException(ErrorType.INVALID_INSTANCE_STATE, "RDS refused " + doing + ": "
          + message(e) + ". Nothing was changed by this step; retry once the instance is available.", details, e);
    }
    if (e instanceof InstanceQuotaExceededException) {
      return new LifeboatException(ErrorType.INSTANCE_QUOTA_EXCEEDED, "The account's DB instance quota is used up"
          + " (while " + doing + "): delete an instance or raise the quota.", details, e);
    }
    if (e instanceof StorageQuotaExceededException) {
      return new LifeboatException(ErrorType.STORAGE_QUOTA_EXCEEDED, "The account's storage quota is used up"
          + " (while " + doing + "): free storage or raise the quota.", details, e);
    }
    if (e instanceof KmsKeyNotAccessibleException) {
      return new LifeboatException(ErrorType.PLATFORM_ACCESS_DENIED, "The KMS key of " + instance
          + " cannot be used (while " + doing + "): " + message(e), details, e);
    }
    if (e instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      if (service.isThrottlingException() || service.statusCode() >= 500) {
        return service;
      }
      if (service.statusCode() == 403 || ACCESS_DENIED.contains(code)) {
        return new LifeboatException(ErrorType.PLATFORM_ACCESS_DENIED, "Lifeboat's AWS credentials may not do this"
            + " (while " + doing + "): " + message(e) + ". See docs/ for the IAM policy it needs.", details, e);
      }
      return new LifeboatException(ErrorType.PLATFORM_ERROR, "RDS refused " + doing + " (" + code + "): "
          + message(e), details, e);
    }
    // client side: a timeout, a dropped connection, an exhausted retry budget: worth another attempt
    return e;
  }

  private static String message(SdkException e) {
    if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
        && service.awsErrorDetails().errorMessage() != null) {
      return service.awsErrorDetails().errorMessage();
    }
    return e.getMessage();
  }
}
