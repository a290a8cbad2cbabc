package dev.lifeboat.rds;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The export store contract on LocalStack's S3, where a Docker engine exists; skipped (not failed)
 * where none does. S3Proxy runs the same contract everywhere, so this is never the only test.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3ExportStoreLocalStackIT extends S3ExportStoreOnS3Contract {
  @Container
  static final LocalStackContainer localstack = new LocalStackContainer(
      DockerImageName.parse("localstack/localstack:3.8.1")).withServices(LocalStackContainer.Service.S3);
  private static final S3RequestRecorder recorder = new S3RequestRecorder();
  private static S3Client s3;

  @BeforeAll
  static void client() {
    s3 = S3RequestRecorder.client(localstack.getEndpointOverride(LocalStackContainer.Service.S3),
        localstack.getAccessKey(), localstack.getSecretKey(), recorder);
  }

  @AfterAll
  static void closeClient() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  protected S3Client s3() {
    return s3;
  }

  @Override
  protected S3RequestRecorder recorder() {
    return recorder;
  }
}
