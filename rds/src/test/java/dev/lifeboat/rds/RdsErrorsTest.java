package dev.lifeboat.rds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class RdsErrorsTest {
  private static AwsServiceException aws(int status, String code, String message) {
    return AwsServiceException.builder().statusCode(status).requestId("req-1")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }

  @ParameterizedTest
  @CsvSource({
    "404, DBInstanceNotFound, INSTANCE_NOT_FOUND",
    "404, DBSnapshotNotFound, SNAPSHOT_NOT_FOUND",
    "400, InvalidDBInstanceState, INVALID_INSTANCE_STATE",
    "400, InvalidDBSnapshotState, INVALID_INSTANCE_STATE",
    "400, SnapshotQuotaExceeded, SNAPSHOT_QUOTA_EXCEEDED",
    "400, InstanceQuotaExceeded, INSTANCE_QUOTA_EXCEEDED",
    "400, StorageQuotaExceeded, STORAGE_QUOTA_EXCEEDED",
    "403, AccessDenied, PLATFORM_ACCESS_DENIED",
    "400, KMSKeyNotAccessibleFault, PLATFORM_ACCESS_DENIED",
    "403, UnauthorizedOperation, PLATFORM_ACCESS_DENIED",
    "400, InvalidParameterCombination, PLATFORM_ERROR",
  })
  void awsCodes_becomeTypedFailures(int status, String code, ErrorType type) {
    RuntimeException e = RdsErrors.translate(aws(status, code, "what AWS said"), "CreateDBSnapshot", "us-east-1",
        Map.of("instance", "techcorp-primary"));

    assertThat(e).isInstanceOfSatisfying(LifeboatException.class, le -> {
      assertThat(le.type()).isEqualTo(type);
      assertThat(le.details()).containsEntry("awsCode", code).containsEntry("requestId", "req-1")
          .containsEntry("region", "us-east-1").containsEntry("instance", "techcorp-primary");
      assertThat(le.getMessage()).contains("CreateDBSnapshot", "us-east-1", code, "what AWS said");
    });
  }

  @Test
  void aFailoverStep_isNamedByWhatItDid_withTheSameTypes() {
    RuntimeException state = RdsErrors.translate(aws(400, "InvalidDBInstanceState", "not available"),
        "promoting techcorp-replica-1", "techcorp-replica-1");
    RuntimeException denied = RdsErrors.translate(aws(403, "AccessDenied", "no"), "promoting techcorp-replica-1",
        "techcorp-replica-1");

    assertThat(state).isInstanceOfSatisfying(LifeboatException.class, le -> {
      assertThat(le.type()).isEqualTo(ErrorType.INVALID_INSTANCE_STATE);
      assertThat(le.getMessage()).startsWith("RDS, promoting techcorp-replica-1, failed with InvalidDBInstanceState")
          .doesNotContain("null");
      assertThat(le.details()).containsEntry("instance", "techcorp-replica-1");
    });
    assertThat(denied).isInstanceOfSatisfying(LifeboatException.class, le -> {
      assertThat(le.type()).isEqualTo(ErrorType.PLATFORM_ACCESS_DENIED);
      assertThat(le.getMessage()).contains("docs/iam-policy.json").doesNotContain("rds:promoting");
    });
    assertThat(RdsErrors.translate(aws(400, "Throttling", "Rate exceeded"), "promoting techcorp-replica-1",
        "techcorp-replica-1")).isInstanceOf(RdsTransientException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "400, Throttling, Rate exceeded",
    "400, ThrottlingException, slow down",
    "503, RequestLimitExceeded, Request limit exceeded",
    "400, SomethingElse, Rate exceeded",
    "500, InternalFailure, oops",
    "503, ServiceUnavailable, try later",
  })
  void throttlingAnd5xx_areRetryable(int status, String code, String message) {
    RuntimeException e = RdsErrors.translate(aws(status, code, message), "CopyDBSnapshot", "us-west-2", Map.of());

    assertThat(e).isInstanceOf(RdsTransientException.class).isNotInstanceOf(LifeboatException.class);
  }

  @Test
  void noAnswer_isRetryable() {
    RuntimeException e = RdsErrors.translate(SdkClientException.create("Connection refused"), "DescribeDBInstances",
        "us-east-1", Map.of());

    assertThat(e).isInstanceOf(RdsTransientException.class).hasMessageContaining("no answer");
  }
}
