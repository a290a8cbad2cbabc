package dev.lifeboat.rds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.activities.tables.ExportStore;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.s3.S3Client;

/** The export store contract on an S3-compatible server: a fresh bucket a test, SSE-S3, 5 MiB parts. */
abstract class S3ExportStoreOnS3Contract extends S3ExportStoreContract {
  protected String bucket;

  protected abstract S3Client s3();

  protected abstract S3RequestRecorder recorder();

  @BeforeEach
  void newBucket() {
    bucket = "exports-" + UUID.randomUUID().toString().substring(0, 8);
    s3().createBucket(b -> b.bucket(bucket));
    recorder().clear();
  }

  /** A trailing slash on the prefix, as configuration may write it: the store does not double it. */
  @Override
  protected ExportStore store() {
    return new S3ExportStore(s3(), bucket, "lifeboat/exports/", null, PART);
  }

  /** Both abandoned multipart uploads were aborted, not left for a lifecycle rule. */
  @Override
  protected void assertNoUploadInProgress() {
    assertThat(s3().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    assertThat(recorder().sent("AbortMultipartUpload")).hasSize(2);
  }
}
