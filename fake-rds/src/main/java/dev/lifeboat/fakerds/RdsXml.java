package dev.lifeboat.fakerds;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestoreWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The RDS Query API's XML shapes (API version 2014-10-31) of the fake's resources: member element
 * names as the RDS model has them ({@code DBSnapshot}, {@code DBInstance}, {@code Tag},
 * {@code VpcSecurityGroupMembership}...).
 */
final class RdsXml {
  static final String NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";
  static final String VPC_ID = "vpc-0lifeboat";
  static final int ALLOCATED_STORAGE_GB = 20;
  static final int BACKUP_RETENTION_DAYS = 7;

  private final Backend backend;

  RdsXml(Backend backend) {
    this.backend = backend;
  }

  /** {@code <ActionResponse xmlns><ActionResult>}; close with {@link #finish}. */
  static Xml begin(String action) {
    return new Xml().start(action + "Response", NAMESPACE).start(action + "Result");
  }

  /** Closes the result and adds the response metadata. */
  static String finish(Xml x, String requestId) {
    return x.end().start("ResponseMetadata").leaf("RequestId", requestId).end().end().toString();
  }

  /** A response without a result element (AddTagsToResource). */
  static String empty(String action, String requestId) {
    return new Xml().start(action + "Response", NAMESPACE)
        .start("ResponseMetadata").leaf("RequestId", requestId).end().end().toString();
  }

  static String error(ApiError e, String requestId) {
    return new Xml().start("ErrorResponse", NAMESPACE)
        .start("Error").leaf("Type", e.type()).leaf("Code", e.code()).leaf("Message", e.getMessage()).end()
        .leaf("RequestId", requestId).end().toString();
  }

  void snapshot(Xml x, SnapshotRec s) {
    x.start("DBSnapshot")
        .leaf("DBSnapshotIdentifier", s.id())
        .leaf("DBInstanceIdentifier", s.instance())
        .leaf("SnapshotCreateTime", s.startedAt() == null ? s.createdAt() : s.startedAt())
        .leaf("Engine", "postgres")
        .leaf("AllocatedStorage", ALLOCATED_STORAGE_GB)
        .leaf("Status", s.status())
        .leaf("Port", 5432)
        .leaf("AvailabilityZone", s.region() + "a")
        .leaf("VpcId", VPC_ID)
        .leaf("MasterUsername", "postgres")
        .leaf("EngineVersion", backend.engineVersion())
        .leaf("LicenseModel", "postgresql-license")
        .leaf("SnapshotType", "manual")
        .leaf("PercentProgress", s.percent())
        .leaf("SourceRegion", s.sourceRegion())
        .leaf("SourceDBSnapshotIdentifier", s.sourceArn())
        .leaf("StorageType", "gp3")
        .leaf("Encrypted", true)
        .leaf("KmsKeyId", s.kmsKeyId())
        .leaf("DBSnapshotArn", backend.arns.snapshot(s.region(), s.id()))
        .leaf("IAMDatabaseAuthenticationEnabled", false)
        .leaf("DbiResourceId", resourceId(s.instance()))
        .leaf("OriginalSnapshotCreateTime", s.originalCreateTime())
        .leaf("SnapshotDatabaseTime", s.stoppedAt())
        .leaf("SnapshotTarget", "region")
        .leaf("FullSnapshotSizeInBytes", s.bytes() > 0 ? s.bytes() : null)
        .tags("TagList", s.tags())
        .end();
  }

  void instance(Xml x, Instances.Entry e, List<String> replicas) {
    InstanceRec r = e.rec();
    Optional<InstanceInfo> local = e.local();
    String status = status(r, local);
    x.start("DBInstance")
        .leaf("DBInstanceIdentifier", r.id())
        .leaf("DBInstanceClass", r.instanceClass())
        .leaf("Engine", "postgres")
        .leaf("DBInstanceStatus", status)
        .leaf("MasterUsername", "postgres")
        .leaf("DBName", local.map(i -> i.endpoint().database()).orElse(null));
    if (local.isPresent() && !InstanceRec.CREATING.equals(status)) {
      x.start("Endpoint").leaf("Address", local.get().endpoint().host()).leaf("Port", local.get().endpoint().port())
          .leaf("HostedZoneId", "Z2R2ITUGPM61AM").end();
      x.leaf("DbInstancePort", 0);
    }
    x.leaf("AllocatedStorage", ALLOCATED_STORAGE_GB)
        .leaf("InstanceCreateTime", local.map(InstanceInfo::createdAt).orElse(r.createdAt()))
        .leaf("PreferredBackupWindow", "03:00-03:30")
        .leaf("PreferredMaintenanceWindow", "sun:04:00-sun:04:30")
        .leaf("BackupRetentionPeriod", r.managed() ? BACKUP_RETENTION_DAYS : 0);
    x.start("VpcSecurityGroups");
    for (String sg : r.securityGroups()) {
      x.start("VpcSecurityGroupMembership").leaf("VpcSecurityGroupId", sg).leaf("Status", "active").end();
    }
    x.end();
    subnetGroup(x, r.region(), r.subnetGroup());
    x.leaf("AvailabilityZone", r.region() + "a")
        .leaf("MultiAZ", false)
        .leaf("EngineVersion", backend.engineVersion())
        .leaf("AutoMinorVersionUpgrade", true)
        .leaf("LicenseModel", "postgresql-license")
        .leaf("PubliclyAccessible", r.publiclyAccessible())
        .leaf("StorageType", "gp3")
        .leaf("StorageEncrypted", true)
        .leaf("KmsKeyId", r.kmsKeyId())
        .leaf("DbiResourceId", resourceId(r.id()))
        .leaf("DBInstanceArn", backend.arns.instance(r.region(), r.id()))
        .leaf("DeletionProtection", false)
        .leaf("CopyTagsToSnapshot", false);
    if (r.managed() && local.isPresent()) {
      latestRestorable(r.id()).ifPresent(t -> x.leaf("LatestRestorableTime", t));
      if (local.get().role() == InstanceRole.REPLICA) {
        x.leaf("ReadReplicaSourceDBInstanceIdentifier", local.get().source());
      }
    } else if (local.isPresent() && local.get().source() != null
        && backend.platform.findInstance(local.get().source()).filter(InstanceInfo::temporary).isPresent()) {
      // a failover drill's temporary replica of its temporary primary
      x.leaf("ReadReplicaSourceDBInstanceIdentifier", local.get().source());
    }
    x.start("ReadReplicaDBInstanceIdentifiers");
    replicas.forEach(id -> x.leaf("ReadReplicaDBInstanceIdentifier", id));
    x.end();
    if (r.reason() != null) {
      x.start("StatusInfos").start("DBInstanceStatusInfo").leaf("StatusType", "restore").leaf("Normal", false)
          .leaf("Status", status).leaf("Message", r.reason()).end().end();
    }
    x.tags("TagList", r.tags()).end();
  }

  /** The fake's own status unless "as the platform has it": available, or stopped when the server is down. */
  static String status(InstanceRec r, Optional<InstanceInfo> local) {
    if (!InstanceRec.AVAILABLE.equals(r.status())) {
      return r.status();
    }
    return local.map(i -> switch (i.status()) {
      case "available" -> "available";
      case "stopped", "fenced" -> "stopped";
      case "creating" -> "creating";
      case "deleting" -> "deleting";
      default -> i.status();
    }).orElse(InstanceRec.AVAILABLE);
  }

  Optional<Instant> latestRestorable(String instanceId) {
    try {
      return Optional.ofNullable(backend.platform.restoreWindow(instanceId).latest());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  void subnetGroup(Xml x, String region, String name) {
    x.start("DBSubnetGroup")
        .leaf("DBSubnetGroupName", name)
        .leaf("DBSubnetGroupDescription", "Subnets of Lifeboat's temporary instances")
        .leaf("VpcId", VPC_ID)
        .leaf("SubnetGroupStatus", "Complete")
        .start("Subnets");
    for (String az : List.of("a", "b")) {
      x.start("Subnet").leaf("SubnetIdentifier", "subnet-0lifeboat" + az)
          .start("SubnetAvailabilityZone").leaf("Name", region + az).end()
          .leaf("SubnetStatus", "Active").end();
    }
    x.end().leaf("DBSubnetGroupArn", backend.arns.subnetGroup(region, name));
    x.start("SupportedNetworkTypes").leaf("member", "IPV4").end().end();
  }

  void automatedBackup(Xml x, String region, String instanceId, RestoreWindow window) {
    x.start("DBInstanceAutomatedBackup")
        .leaf("DBInstanceArn", backend.arns.instance(backend.home(), instanceId))
        .leaf("DbiResourceId", resourceId(instanceId))
        .leaf("Region", backend.home())
        .leaf("DBInstanceIdentifier", instanceId)
        .start("RestoreWindow").leaf("EarliestTime", window.earliest()).leaf("LatestTime", window.latest()).end()
        .leaf("AllocatedStorage", ALLOCATED_STORAGE_GB)
        .leaf("Status", backend.isHome(region) ? "active" : "replicating")
        .leaf("Port", 5432)
        .leaf("AvailabilityZone", region + "a")
        .leaf("VpcId", VPC_ID)
        .leaf("MasterUsername", "postgres")
        .leaf("Engine", "postgres")
        .leaf("EngineVersion", backend.engineVersion())
        .leaf("LicenseModel", "postgresql-license")
        .leaf("Encrypted", true)
        .leaf("StorageType", "gp3")
        .leaf("KmsKeyId", backend.kmsKey(region))
        .leaf("BackupRetentionPeriod", BACKUP_RETENTION_DAYS)
        .leaf("DBInstanceAutomatedBackupsArn", backend.arns.automatedBackup(region, instanceId))
        .leaf("BackupTarget", "region")
        .end();
  }

  /** A stable resource id per instance, like RDS's {@code db-ABC...}. */
  static String resourceId(String instanceId) {
    return "db-" + Integer.toHexString(instanceId.hashCode()).toUpperCase();
  }
}
