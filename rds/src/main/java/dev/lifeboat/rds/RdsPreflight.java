package dev.lifeboat.rds;

import dev.lifeboat.common.model.PreflightCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The RDS platform's preflight: per region the credentials, quotas left, the DR key, subnet group
 * and security groups of temporary instances; per managed instance that it exists and keeps
 * automated backups. KMS and IAM problems are the most reported failure of RDS snapshot tooling:
 * this finds them before 03:00. Read-only, and every failure is a finding, never an exception.
 */
final class RdsPreflight {
  /** Under this share of a quota left: a warning. */
  static final double LOW_QUOTA_SHARE = 0.10;
  static final int EXPECTED_RETENTION_DAYS = 7;
  static final Duration RESTORABLE_LAG_WARN = Duration.ofMinutes(15);

  private final RdsContext ctx;

  RdsPreflight(RdsContext ctx) {
    this.ctx = ctx;
  }

  List<PreflightCheck> run() {
    List<PreflightCheck> checks = new ArrayList<>();
    checks.add(databaseLogin(ctx.settings.database(), System::getenv));
    Map<String, DBInstance> managed = new LinkedHashMap<>();
    for (RdsSettings.Region region : ctx.settings.regions()) {
      boolean credentialsOk = quotas(region.name(), checks);
      if (!credentialsOk) {
        continue;
      }
      if (ctx.isHome(region.name())) {
        for (RdsSettings.Instance instance : ctx.settings.instances()) {
          checks.addAll(instance(region.name(), instance.id(), managed));
        }
      } else {
        checks.add(kmsKey(region, managed));
        checks.add(drPrimary(region.name()));
      }
      checks.add(subnetGroup(region.name()));
      checks.add(securityGroups(region.name()));
    }
    return checks;
  }

  /** Table copy and verification log in to instances: the password they need is where the settings say. */
  static PreflightCheck databaseLogin(RdsSettings.Database db, java.util.function.UnaryOperator<String> env) {
    if (db.iamAuth()) {
      return PreflightCheck.ok("database-login", null, null, db.user() + " logs in with RDS IAM authentication tokens",
          Map.of("user", db.user()));
    }
    String variable = db.passwordEnv();
    if (variable != null && !variable.isBlank() && env.apply(variable) == null) {
      return PreflightCheck.fail("database-login", null, null, "the environment variable " + variable + " holding "
          + db.user() + "'s database password is not set: restores cannot be verified nor tables copied; set it"
          + " in the worker's environment, or use platform.rds.database.iamAuth", Map.of("passwordEnv", variable));
    }
    return PreflightCheck.ok("database-login", null, null, db.user() + " logs in " + (variable == null
        || variable.isBlank() ? "without a password" : "with the password in " + variable), Map.of("user", db.user()));
  }

  /** Credentials and quotas from one DescribeAccountAttributes call; false when the credentials do not work. */
  private boolean quotas(String region, List<PreflightCheck> checks) {
    List<AccountQuota> quotas;
    try {
      quotas = ctx.rds(region).describeAccountAttributes().accountQuotas();
    } catch (SdkException e) {
      RuntimeException t = RdsErrors.translate(e, "DescribeAccountAttributes", region, Map.of());
      if (t instanceof RdsTransientException) {
        // throttled or an AWS-side error: not a finding about Lifeboat's credentials, and no reason to refuse runs
        checks.add(PreflightCheck.warn("credentials", null, region, "RDS in " + region + " did not answer the"
            + " preflight (" + t.getMessage() + "); checked again at the next preflight", codeDetails(e)));
        return false;
      }
      checks.add(PreflightCheck.fail("credentials", null, region, "Lifeboat's AWS credentials cannot call"
          + " rds:DescribeAccountAttributes in " + region + ": " + t.getMessage(), codeDetails(e)));
      return false;
    }
    checks.add(PreflightCheck.ok("credentials", null, region, "credentials work in " + region, Map.of()));
    checks.add(quota("snapshot-quota", region, quotas, RdsQuotas.MANUAL_SNAPSHOTS,
        ctx.region(region).manualSnapshotQuota(), "manual snapshots",
        "delete expired snapshots (a retention run) or ask AWS for a higher ManualSnapshots quota"));
    checks.add(quota("instance-quota", region, quotas, RdsQuotas.DB_INSTANCES, 0, "DB instances",
        "delete temporary instances nobody needs or ask AWS for a higher DBInstances quota"));
    return true;
  }

  private PreflightCheck quota(String check, String region, List<AccountQuota> quotas, String name, int configured,
      String what, String todo) {
    Optional<AccountQuota> q = quotas.stream().filter(a -> name.equals(a.accountQuotaName()) && a.max() != null)
        .findFirst();
    long used;
    long max;
    if (q.isPresent()) {
      used = q.get().used() == null ? 0 : q.get().used();
      max = q.get().max();
    } else if (configured > 0) {
      try {
        used = ctx.describeSnapshots(region, null, "manual").size();
      } catch (RuntimeException e) {
        return PreflightCheck.warn(check, null, region, "cannot count " + what + " in " + region + ": "
            + e.getMessage(), Map.of());
      }
      max = configured;
    } else {
      return PreflightCheck.warn(check, null, region, "AWS did not report the " + name + " quota of " + region,
          Map.of("quota", name));
    }
    Map<String, Object> details = Map.of("quota", name, "used", used, "max", max);
    long left = Math.max(0, max - used);
    if (left == 0) {
      return PreflightCheck.fail(check, null, region, "the " + what + " quota of " + region + " is used up (" + used
          + " of " + max + "): " + todo, details);
    }
    if (left < Math.max(1, Math.ceil(max * LOW_QUOTA_SHARE))) {
      return PreflightCheck.warn(check, null, region, "only " + left + " " + what + " left in " + region + " ("
          + used + " of " + max + "): " + todo, details);
    }
    return PreflightCheck.ok(check, null, region, used + " of " + max + " " + what + " used", details);
  }

  private List<PreflightCheck> instance(String region, String id, Map<String, DBInstance> managed) {
    Optional<DBInstance> found;
    try {
      found = ctx.describeInstance(region, id);
    } catch (RuntimeException e) {
      return List.of(PreflightCheck.fail("instance", id, region, "cannot describe " + id + ": " + e.getMessage(),
          Map.of()));
    }
    if (found.isEmpty()) {
      return List.of(PreflightCheck.fail("instance", id, region, "managed instance " + id + " does not exist in "
          + region + ": fix platform.rds.instances or the home region", Map.of()));
    }
    DBInstance db = found.get();
    managed.put(id, db);
    List<PreflightCheck> checks = new ArrayList<>();
    checks.add(PreflightCheck.ok("instance", id, region, id + " is " + db.dbInstanceStatus(),
        Map.of("status", String.valueOf(db.dbInstanceStatus()))));
    if (db.readReplicaSourceDBInstanceIdentifier() != null) {
      return checks; // replicas keep no automated backups of their own that Lifeboat restores from
    }
    int days = db.backupRetentionPeriod() == null ? 0 : db.backupRetentionPeriod();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("retentionDays", days);
    if (db.latestRestorableTime() != null) {
      details.put("latestRestorableTime", db.latestRestorableTime().toString());
    }
    if (days == 0) {
      checks.add(PreflightCheck.fail("automated-backups", id, region, id + " keeps no automated backups"
          + " (BackupRetentionPeriod 0): no point-in-time restore is possible; set a retention of at least "
          + EXPECTED_RETENTION_DAYS + " days", details));
      return checks;
    }
    if (days < EXPECTED_RETENTION_DAYS) {
      checks.add(PreflightCheck.warn("automated-backups", id, region, id + " keeps automated backups for " + days
          + " days; " + EXPECTED_RETENTION_DAYS + " are expected", details));
    } else {
      checks.add(PreflightCheck.ok("automated-backups", id, region, "automated backups kept " + days + " days",
          details));
    }
    Instant latest = db.latestRestorableTime();
    Instant now = ctx.now();
    if (latest == null || latest.isBefore(now.minus(RESTORABLE_LAG_WARN))) {
      checks.add(PreflightCheck.warn("restorable-time", id, region, "the latest restorable time of " + id + " is "
          + (latest == null ? "unknown" : latest + ", more than " + RESTORABLE_LAG_WARN.toMinutes()
          + " minutes ago") + ": RDS is not archiving its transaction logs; check the instance's events", details));
    } else {
      checks.add(PreflightCheck.ok("restorable-time", id, region, "restorable up to " + latest, details));
    }
    return checks;
  }

  private PreflightCheck kmsKey(RdsSettings.Region region, Map<String, DBInstance> managed) {
    String r = region.name();
    List<String> encrypted = managed.values().stream().filter(d -> Boolean.TRUE.equals(d.storageEncrypted()))
        .map(DBInstance::dbInstanceIdentifier).toList();
    if (region.kmsKeyId() == null || region.kmsKeyId().isBlank()) {
      if (encrypted.isEmpty()) {
        return PreflightCheck.ok("kms-key", null, r, "no KMS key configured; none is needed while the managed"
            + " instances are unencrypted", Map.of());
      }
      return PreflightCheck.fail("kms-key", null, r, "no KMS key is configured for " + r + " but " + encrypted
          + " are encrypted: copies to " + r + " will fail. Set platform.rds.regions[" + r + "].kmsKeyId to a key"
          + " of " + r + " that Lifeboat's role may use (kms:DescribeKey, kms:CreateGrant)",
          Map.of("encryptedInstances", encrypted));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("kmsKeyId", region.kmsKeyId());
    KeyMetadata key;
    try {
      key = ctx.clients.kms(r).describeKey(b -> b.keyId(region.kmsKeyId())).keyMetadata();
    } catch (SdkException e) {
      String code = RdsErrors.code(e);
      details.putAll(codeDetails(e));
      String todo = "NotFoundException".equals(code)
          ? "the key does not exist in " + r + ": configure the ARN of a key of that region"
          : RdsErrors.translate(e, "DescribeKey", r, Map.of()) instanceof RdsTransientException
          ? "KMS did not answer; run the preflight again"
          : "grant Lifeboat's role kms:DescribeKey and kms:CreateGrant on the key (key policy or IAM)";
      return PreflightCheck.fail("kms-key", null, r, "KMS key " + region.kmsKeyId() + " of " + r
          + " cannot be used: " + code + "; " + todo, details);
    }
    details.put("keyState", key.keyStateAsString());
    if (key.keyState() != KeyState.ENABLED) {
      String todo = key.keyState() == KeyState.PENDING_DELETION
          ? "cancel its deletion (kms:CancelKeyDeletion) and enable it, or configure another key"
          : "enable it (kms:EnableKey) or configure another key";
      return PreflightCheck.fail("kms-key", null, r, "KMS key " + region.kmsKeyId() + " of " + r + " is "
          + key.keyStateAsString() + ": encrypted copies to " + r + " will fail; " + todo, details);
    }
    return PreflightCheck.ok("kms-key", null, r, "KMS key " + key.arn() + " is enabled", details);
  }

  private PreflightCheck subnetGroup(String region) {
    String name = ctx.settings.temporary().subnetGroupByRegion().get(region);
    if (name == null || name.isBlank()) {
      return PreflightCheck.fail("subnet-group", null, region, "no DB subnet group is configured for temporary"
          + " instances in " + region + ": set platform.rds.temporary.subnetGroups", Map.of());
    }
    return probe("subnet-group", region, Map.of("subnetGroup", name), "DescribeDBSubnetGroups",
        () -> ctx.rds(region).describeDBSubnetGroups(b -> b.dbSubnetGroupName(name)).dbSubnetGroups().isEmpty(),
        "DB subnet group " + name + " exists", "DB subnet group " + name + " does not exist in " + region
            + ": create it or fix platform.rds.temporary.subnetGroups");
  }

  /** Where a restore-in-dr failover would put the new primary: production's placement, or a warning. */
  private PreflightCheck drPrimary(String region) {
    RdsSettings.DrPrimary dr = ctx.settings.drPrimary();
    if (!dr.configured(region)) {
      return PreflightCheck.warn("dr-primary", null, region, "no DB subnet group is configured for a restore-in-dr"
          + " failover's new primary in " + region + ": it would get the temporary instances' network, single-AZ;"
          + " set platform.rds.drPrimary.subnetGroups", Map.of());
    }
    String name = dr.subnetGroupByRegion().get(region);
    return probe("dr-primary", region, Map.of("subnetGroup", name), "DescribeDBSubnetGroups",
        () -> ctx.rds(region).describeDBSubnetGroups(b -> b.dbSubnetGroupName(name)).dbSubnetGroups().isEmpty(),
        "DB subnet group " + name + " for a restore-in-dr primary exists", "DB subnet group " + name
            + " does not exist in " + region + ": create it or fix platform.rds.drPrimary.subnetGroups");
  }

  private PreflightCheck securityGroups(String region) {
    List<String> ids = ctx.settings.temporary().securityGroupsByRegion().getOrDefault(region, List.of());
    if (ids.isEmpty()) {
      return PreflightCheck.warn("security-groups", null, region, "no VPC security groups are configured for"
          + " temporary instances in " + region + ": they get the VPC's default group", Map.of());
    }
    return probe("security-groups", region, Map.of("securityGroups", ids), "DescribeSecurityGroups",
        () -> ctx.clients.ec2(region).describeSecurityGroups(b -> b.groupIds(ids)).securityGroups().size()
            < ids.size(),
        "security groups " + ids + " exist", "security groups " + ids + " do not all exist in " + region
            + ": create them or fix platform.rds.temporary.securityGroups");
  }

  /** A describe that answers "missing" (true), "present" (false), or fails. */
  private PreflightCheck probe(String check, String region, Map<String, Object> details, String action,
      Supplier<Boolean> missing, String ok, String notFound) {
    try {
      return missing.get() ? PreflightCheck.fail(check, null, region, notFound, details)
          : PreflightCheck.ok(check, null, region, ok, details);
    } catch (SdkException e) {
      String code = RdsErrors.code(e);
      Map<String, Object> all = new LinkedHashMap<>(details);
      all.putAll(codeDetails(e));
      if (code != null && (code.contains("NotFound") || code.startsWith("InvalidGroup"))) {
        return PreflightCheck.fail(check, null, region, notFound + " (" + code + ")", all);
      }
      return PreflightCheck.fail(check, null, region, RdsErrors.translate(e, action, region, Map.of()).getMessage(),
          all);
    }
  }

  private static Map<String, Object> codeDetails(SdkException e) {
    String code = RdsErrors.code(e);
    return code == null ? Map.of() : Map.of("awsCode", code);
  }
}
