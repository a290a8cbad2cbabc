package dev.lifeboat.fakerds;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;

/** Real AWS SDK clients pointed at a fake: static credentials, one Apache HTTP client, both timeouts set. */
final class AwsClients implements AutoCloseable {
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKERDS", "secret"));

  private final URI endpoint;
  private final SdkHttpClient http = ApacheHttpClient.builder().maxConnections(20).build();

  AwsClients(URI endpoint) {
    this.endpoint = endpoint;
  }

  private static ClientOverrideConfiguration overrides() {
    return ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(60))
        .apiCallAttemptTimeout(Duration.ofSeconds(20)).build();
  }

  RdsClient rds(String region) {
    return RdsClient.builder().endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(CREDENTIALS)
        .httpClient(http).overrideConfiguration(overrides()).build();
  }

  KmsClient kms(String region) {
    return KmsClient.builder().endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(CREDENTIALS)
        .httpClient(http).overrideConfiguration(overrides()).build();
  }

  Ec2Client ec2(String region) {
    return Ec2Client.builder().endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(CREDENTIALS)
        .httpClient(http).overrideConfiguration(overrides()).build();
  }

  @Override
  public void close() {
    http.close();
  }
}
