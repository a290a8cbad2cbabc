package dev.lifeboat.fakerds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/**
 * KMS {@code DescribeKey} over the JSON 1.1 protocol ({@code X-Amz-Target: TrentService.DescribeKey}):
 * the region's key is known and enabled, any other is {@code NotFoundException}. Keys are given as
 * ARN or key id.
 */
final class KmsService {
  static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private final Backend b;

  KmsService(Backend backend) {
    this.b = backend;
  }

  /** The action of an {@code X-Amz-Target} header, e.g. {@code DescribeKey}. */
  static String action(String target) {
    if (target == null || !target.startsWith("TrentService.")) {
      throw new ApiError(400, "UnknownOperationException", "Missing or unknown X-Amz-Target " + target);
    }
    return target.substring("TrentService.".length());
  }

  String handle(String action, String region, String body) {
    if (!action.equals("DescribeKey")) {
      throw new ApiError(400, "UnknownOperationException", "This fake serves KMS DescribeKey only, not " + action);
    }
    JsonNode request;
    try {
      request = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      throw new ApiError(400, "SerializationException", "The request body is not JSON");
    }
    String keyId = request.path("KeyId").asText(null);
    if (keyId == null || keyId.isBlank()) {
      throw new ApiError(400, "ValidationException", "1 validation error detected: Value null at 'keyId' failed to"
          + " satisfy constraint: Member must not be null");
    }
    String arn = b.kmsKey(region);
    if (!matches(keyId, arn)) {
      throw new ApiError(400, "NotFoundException", "Key '" + keyId + "' does not exist");
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode meta = root.putObject("KeyMetadata");
    meta.put("AWSAccountId", b.arns.account());
    meta.put("KeyId", keyIdOf(arn));
    meta.put("Arn", arn);
    meta.put("CreationDate", CREATED.getEpochSecond());
    meta.put("Enabled", true);
    meta.put("Description", "Lifeboat snapshots in " + region);
    meta.put("KeyUsage", "ENCRYPT_DECRYPT");
    meta.put("KeyState", "Enabled");
    meta.put("Origin", "AWS_KMS");
    meta.put("KeyManager", "CUSTOMER");
    meta.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
    meta.put("KeySpec", "SYMMETRIC_DEFAULT");
    meta.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
    meta.put("MultiRegion", false);
    return root.toString();
  }

  static String error(ApiError e) {
    ObjectNode root = JSON.createObjectNode();
    root.put("__type", e.code());
    root.put("message", e.getMessage());
    return root.toString();
  }

  /** True when {@code given} (ARN or key id) names the key {@code arn}. */
  static boolean matches(String given, String arn) {
    return arn != null && (given.equals(arn) || given.equals(keyIdOf(arn)));
  }

  private static String keyIdOf(String arn) {
    int slash = arn.lastIndexOf("key/");
    return slash < 0 ? arn : arn.substring(slash + "key/".length());
  }
}
