package dev.lifeboat.fakerds;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credential scope of a SigV4 {@code Authorization} header (or of a presigned URL's
 * {@code X-Amz-Credential}), which says the region and the service a request was signed for. The
 * signature itself is not verified.
 *
 * <pre>AWS4-HMAC-SHA256 Credential=AKID/20261130/us-east-1/rds/aws4_request, SignedHeaders=..., Signature=...</pre>
 */
record SigV4Scope(String accessKeyId, String date, String region, String service) {
  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request");

  static SigV4Scope parse(String authorization, String rawQuery) {
    if ((authorization == null || authorization.isBlank()) && rawQuery != null) {
      String credential = QueryParams.parse(rawQuery).get("X-Amz-Credential");
      if (credential != null) {
        return parse("AWS4-HMAC-SHA256 Credential=" + credential, null);
      }
    }
    if (authorization == null || authorization.isBlank()) {
      throw new ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    Matcher m = CREDENTIAL.matcher(authorization);
    if (!authorization.startsWith("AWS4-HMAC-SHA256") || !m.find()) {
      throw new ApiError(400, "IncompleteSignature", "Authorization header requires a SigV4 Credential scope: "
          + "Credential=<key>/<date>/<region>/<service>/aws4_request");
    }
    return new SigV4Scope(m.group(1), m.group(2), m.group(3), m.group(4));
  }
}
