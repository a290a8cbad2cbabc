package dev.lifeboat.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.tables.ExportStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The export store contract on S3Proxy, embedded on loopback with an in-memory (transient) blob
 * store, plus what only S3 has: multipart uploads left in progress, and the encryption headers
 * sent. S3Proxy refuses unknown {@code x-amz-*} headers by default, the SSE ones among them, so it
 * is told to ignore them; the recorder checks they are sent.
 */
class S3ExportStoreTest extends S3ExportStoreOnS3Contract {
  private static final String ACCESS_KEY = "lifeboat-test";
  private static final String SECRET_KEY = "lifeboat-test-secret";
  private static final S3RequestRecorder recorder = new S3RequestRecorder();
  private static BlobStoreContext blobs;
  private static S3Proxy proxy;
  private static S3Client s3;

  @BeforeAll
  static void startS3Proxy() throws Exception {
    blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(blobs.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    s3 = S3RequestRecorder.client(URI.create("http://127.0.0.1:" + proxy.getPort()), ACCESS_KEY, SECRET_KEY,
        recorder);
  }

  @AfterAll
  static void stopS3Proxy() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (proxy != null) {
      proxy.stop();
    }
    if (blobs != null) {
      blobs.close();
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

  @Test
  void uri_andObjectKeys_liveUnderThePrefix() throws Exception {
    ExportStore store = store();
    store.put("run-1/manifest.json", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(store.uri()).isEqualTo("s3://" + bucket + "/lifeboat/exports");
    assertThat(new S3ExportStore(s3, bucket, "", null).uri()).isEqualTo("s3://" + bucket);
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(o -> o.key())
        .containsExactly("lifeboat/exports/run-1/manifest.json");
    assertThat(new S3ExportStore(s3, bucket, null, null).list("")).containsExactly(
        "lifeboat/exports/run-1/manifest.json");
  }

  @Test
  void list_followsContinuationTokens() throws Exception {
    ExportStore store = store();
    // more than one page of ListObjectsV2 (1,000 keys); written side by side, the store is not what is tested here
    IntStream.range(0, 1005).parallel().forEach(i -> s3.putObject(
        b -> b.bucket(bucket).key(String.format("lifeboat/exports/run-1/chunks/%04d", 1004 - i)),
        RequestBody.fromBytes(new byte[] {(byte) i})));

    assertThat(store.list("run-1/chunks/")).hasSize(1005).isSorted().startsWith("run-1/chunks/0000");
    assertThat(recorder.sent("ListObjectsV2")).hasSizeGreaterThan(1);
  }

  @Test
  void sseS3_isRequestedOnEveryPutAndMultipartUpload() throws Exception {
    ExportStore store = store();
    store.put("run-1/small", new byte[] {1, 2, 3});
    try (ExportStore.Upload upload = store.create("run-1/large")) {
      writeRandom(upload, 2L * PART + 1, 7);
      upload.commit();
    }

    assertThat(recorder.sent("PutObject")).containsExactly(new S3RequestRecorder.Sent("PutObject", "AES256", null));
    assertThat(recorder.sent("CreateMultipartUpload")).containsExactly(
        new S3RequestRecorder.Sent("CreateMultipartUpload", "AES256", null));
    assertThat(recorder.sent("UploadPart")).hasSize(3);
    assertThat(recorder.sent("CompleteMultipartUpload")).hasSize(1);
  }

  @Test
  void sseKms_namesTheKeyOnEveryPutAndMultipartUpload() throws Exception {
    String key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    ExportStore store = new S3ExportStore(s3, bucket, "kms", key, PART);
    store.put("run-1/small", new byte[] {1, 2, 3});
    try (ExportStore.Upload upload = store.create("run-1/large")) {
      writeRandom(upload, PART + 1, 8);
      upload.commit();
    }

    assertThat(recorder.sent("PutObject")).containsExactly(new S3RequestRecorder.Sent("PutObject", "aws:kms", key));
    assertThat(recorder.sent("CreateMultipartUpload")).containsExactly(
        new S3RequestRecorder.Sent("CreateMultipartUpload", "aws:kms", key));
    assertThat(store.getString("run-1/small").getBytes(StandardCharsets.ISO_8859_1)).containsExactly(1, 2, 3);
  }

  @Test
  void aSmallObject_isOnePutObject_andALargeOne_startsItsUploadOnTheFirstFullPart() throws Exception {
    ExportStore store = store();
    try (ExportStore.Upload upload = store.create("run-1/large")) {
      writeRandom(upload, PART, 9);
      // exactly one part buffered: nothing sent yet (it may turn out to be the whole object)
      assertThat(recorder.sent()).isEmpty();
      upload.write(0);
      assertThat(recorder.sent()).extracting(S3RequestRecorder.Sent::operation)
          .containsExactly("CreateMultipartUpload", "UploadPart");
      upload.commit();
    }
    assertThat(store.size("run-1/large")).hasValue(PART + 1);
  }

  @Test
  void abandonedUpload_isInProgressWhileWritten_andAbortedAtClose() throws Exception {
    ExportStore store = store();
    try (ExportStore.Upload upload = store.create("run-1/abandoned")) {
      writeRandom(upload, PART + 1, 10);
      assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).extracting(u -> u.key())
          .containsExactly("lifeboat/exports/run-1/abandoned");
    }

    assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    assertThat(recorder.sent("AbortMultipartUpload")).hasSize(1);
    assertThat(store.size("run-1/abandoned")).isEmpty();
  }

  @Test
  void partSize_belowS3sMinimum_isRefused_andGrowsBeforePartNumbersRunOut() {
    assertThatThrownBy(() -> new S3ExportStore(s3, bucket, "", null, PART - 1))
        .isInstanceOf(IllegalArgumentException.class);
    long total = 0;
    for (int n = 1; n <= S3ExportStore.MAX_PARTS; n++) {
      total += S3ExportStore.partSize(S3ExportStore.DEFAULT_PART_SIZE, n);
    }
    assertThat(S3ExportStore.partSize(S3ExportStore.DEFAULT_PART_SIZE, 1)).isEqualTo(8 << 20);
    assertThat(S3ExportStore.partSize(S3ExportStore.DEFAULT_PART_SIZE, S3ExportStore.MAX_PARTS))
        .isEqualTo(64L << 20);
    assertThat(total).isGreaterThan(250L << 30);
  }
}
