package dev.lifeboat.rds;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The AWS clients of every configured region, each built once on first use and closed with the
 * platform. Every client has both the whole-call and the per-attempt timeout set and the
 * configured retry mode (adaptive backs off on {@code Throttling: Rate exceeded} before sending).
 */
public final class RdsClients implements AutoCloseable {
  private final RdsSettings settings;
  private final Duration throttledBaseDelay;
  private final SdkHttpClient http;
  private final Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
  private final Map<String, RdsClient> rds = new ConcurrentHashMap<>();
  private final Map<String, KmsClient> kms = new ConcurrentHashMap<>();
  private final Map<String, S3Client> s3 = new ConcurrentHashMap<>();
  private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();

  public RdsClients(RdsSettings settings) {
    this(settings, null);
  }

  /**
   * @param throttledBaseDelay the first backoff after a throttling answer (null: the SDK's, 1 s, right
   *     against AWS); fake RDS on loopback throttles by count, not by load, and needs no second's pause
   */
  public RdsClients(RdsSettings settings, Duration throttledBaseDelay) {
    this.settings = settings;
    this.throttledBaseDelay = throttledBaseDelay;
    this.http = ApacheHttpClient.builder().maxConnections(50).build();
  }

  public RdsSettings settings() {
    return settings;
  }

  /** The RDS client of a configured region. */
  public RdsClient rds(String region) {
    return rds.computeIfAbsent(region, name -> {
      RdsSettings.Region r = region(name);
      var builder = RdsClient.builder().region(Region.of(name)).httpClient(http)
          .credentialsProvider(credentials(r)).overrideConfiguration(overrides());
      if (r.endpoint() != null) {
        builder.endpointOverride(r.endpoint());
      }
      return builder.build();
    });
  }

  /** The EC2 client of a configured region (preflight: the temporary instances' security groups exist). */
  public Ec2Client ec2(String region) {
    return ec2.computeIfAbsent(region, name -> {
      RdsSettings.Region r = region(name);
      var builder = Ec2Client.builder().region(Region.of(name)).httpClient(http)
          .credentialsProvider(credentials(r)).overrideConfiguration(overrides());
      if (r.endpoint() != null) {
        builder.endpointOverride(r.endpoint());
      }
      return builder.build();
    });
  }

  /** The KMS client of a configured region (preflight: is the DR key usable). */
  public KmsClient kms(String region) {
    return kms.computeIfAbsent(region, name -> {
      RdsSettings.Region r = region(name);
      var builder = KmsClient.builder().region(Region.of(name)).httpClient(http)
          .credentialsProvider(credentials(r)).overrideConfiguration(overrides());
      if (r.endpoint() != null) {
        builder.endpointOverride(r.endpoint());
      }
      return builder.build();
    });
  }

  /**
   * The S3 client of a configured region's export store: its own endpoint override and path-style
   * addressing when the store says so (S3Proxy, LocalStack), checksums only where S3 requires them.
   */
  public S3Client s3(String region) {
    return s3.computeIfAbsent(region, name -> {
      RdsSettings.Region r = region(name);
      RdsSettings.S3Exports exports = r.exports();
      var builder = S3Client.builder().region(Region.of(name)).httpClient(http)
          .credentialsProvider(credentials(r)).overrideConfiguration(overrides())
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      if (exports != null && exports.endpoint() != null) {
        builder.endpointOverride(exports.endpoint());
      }
      if (exports != null && exports.pathStyle()) {
        builder.forcePathStyle(true);
      }
      return builder.build();
    });
  }

  /** The credentials of a configured region, as its clients use them. */
  public AwsCredentialsProvider credentials(RdsSettings.Region region) {
    return credentials.computeIfAbsent(region.name(), name -> {
      RdsSettings.Credentials c = region.credentials() == null ? RdsSettings.Credentials.DEFAULT_CHAIN
          : region.credentials();
      AwsCredentialsProvider base = c.profile() == null || c.profile().isBlank()
          ? DefaultCredentialsProvider.builder().build()
          : ProfileCredentialsProvider.builder().profileName(c.profile()).build();
      if (c.roleArn() == null || c.roleArn().isBlank()) {
        return base;
      }
      StsClient sts = StsClient.builder().region(Region.of(name)).httpClient(http).credentialsProvider(base)
          .overrideConfiguration(overrides()).build();
      return StsAssumeRoleCredentialsProvider.builder().stsClient(sts).asyncCredentialUpdateEnabled(false)
          .refreshRequest(req -> {
            req.roleArn(c.roleArn()).roleSessionName(c.sessionName() == null ? "lifeboat" : c.sessionName());
            if (c.externalId() != null) {
              req.externalId(c.externalId());
            }
          }).build();
    });
  }

  RdsSettings.Region region(String name) {
    return settings.region(name).orElseThrow(() -> new IllegalArgumentException("region " + name
        + " is not configured (platform.rds.regions)"));
  }

  ClientOverrideConfiguration overrides() {
    RetryStrategy.Builder<?, ?> strategy = ("standard".equalsIgnoreCase(settings.retryMode())
        ? AwsRetryStrategy.standardRetryStrategy() : AwsRetryStrategy.adaptiveRetryStrategy())
        .toBuilder().maxAttempts(Math.max(1, settings.maxAttempts()));
    if (throttledBaseDelay != null) {
      strategy.throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(throttledBaseDelay, Duration.ofSeconds(20)));
    }
    return ClientOverrideConfiguration.builder()
        .apiCallTimeout(settings.apiCallTimeout())
        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
        .retryStrategy(strategy.build())
        .build();
  }

  @Override
  public void close() {
    rds.values().forEach(RdsClient::close);
    kms.values().forEach(KmsClient::close);
    s3.values().forEach(S3Client::close);
    ec2.values().forEach(Ec2Client::close);
    credentials.values().forEach(p -> {
      if (p instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // closing on shutdown: nothing to do about it
        }
      }
    });
    http.close();
  }
}
