package dev.lifeboat.fakerds;

import dev.lifeboat.common.Ids;
import java.util.regex.Pattern;

/** RDS identifier rules, and identifiers given as ARNs. */
final class Identifiers {
  /** Letter first, then letters, digits and hyphens; no trailing or double hyphen; at most 255. */
  private static final Pattern SNAPSHOT_ID = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,254}");

  private Identifiers() {}

  static void checkSnapshotId(String parameter, String id) {
    if (!SNAPSHOT_ID.matcher(id).matches() || id.endsWith("-") || id.contains("--")) {
      throw ApiError.invalidParameter("The parameter " + parameter + " is not a valid identifier. Identifiers must"
          + " begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a"
          + " hyphen or contain two consecutive hyphens.");
    }
  }

  static void checkInstanceId(String parameter, String id) {
    if (!Ids.validInstanceId(id)) {
      throw ApiError.invalidParameter("The parameter " + parameter + " is not a valid identifier. Identifiers must"
          + " begin with a letter; must contain only ASCII letters, digits, and hyphens; must be at most 63"
          + " characters; and must not end with a hyphen or contain two consecutive hyphens.");
    }
  }

  /**
   * The name of an identifier that may be given as an ARN of {@code type} in {@code region};
   * null stays null.
   */
  static String name(String value, String type, String region) {
    if (value == null || !value.startsWith("arn:")) {
      return value;
    }
    Arns.Arn arn = Arns.parse(value).orElseThrow(() -> ApiError.invalidParameter("Invalid ARN " + value));
    if (!arn.type().equals(type) || !arn.service().equals("rds")) {
      throw ApiError.invalidParameter("ARN " + value + " is not an RDS " + type + " ARN");
    }
    if (!arn.region().equals(region)) {
      throw ApiError.invalidParameter("ARN " + value + " names region " + arn.region() + ", the request was made in "
          + region);
    }
    return arn.name();
  }
}
