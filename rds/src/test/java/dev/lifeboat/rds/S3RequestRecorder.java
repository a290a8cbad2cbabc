package dev.lifeboat.rds;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Records the server-side encryption headers of every request an S3 client sends, as they go on
 * the wire (after signing), and builds test clients for S3-compatible endpoints on loopback.
 */
final class S3RequestRecorder implements ExecutionInterceptor {
  static final String SSE = "x-amz-server-side-encryption";
  static final String SSE_KMS_KEY = "x-amz-server-side-encryption-aws-kms-key-id";

  /** One request sent: the operation and its encryption headers (null when absent). */
  record Sent(String operation, String sse, String kmsKeyId) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    var request = context.httpRequest();
    Optional<String> sse = request.firstMatchingHeader(SSE);
    Optional<String> key = request.firstMatchingHeader(SSE_KMS_KEY);
    sent.add(new Sent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), sse.orElse(null),
        key.orElse(null)));
  }

  List<Sent> sent() {
    return List.copyOf(sent);
  }

  List<Sent> sent(String operation) {
    return sent.stream().filter(s -> s.operation().equals(operation)).toList();
  }

  void clear() {
    sent.clear();
  }

  /** A client as the platform builds one for S3-compatible stores: path style, checksums only where required. */
  static S3Client client(java.net.URI endpoint, String accessKey, String secretKey, S3RequestRecorder recorder) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(ApacheHttpClient.builder().build())
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
        .build();
  }
}
