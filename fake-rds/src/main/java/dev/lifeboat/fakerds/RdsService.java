package dev.lifeboat.fakerds;

/** The RDS Query API actions the fake serves, by {@code Action}; any other is {@code InvalidAction}. */
final class RdsService {
  static final String VERSION = "2014-10-31";

  private final SnapshotActions snapshots;
  private final InstanceActions instances;
  private final AccountActions account;

  RdsService(Backend backend) {
    RdsXml xml = new RdsXml(backend);
    this.snapshots = new SnapshotActions(backend, xml);
    this.instances = new InstanceActions(backend, xml);
    this.account = new AccountActions(backend, xml);
  }

  String handle(String action, String region, QueryParams p, String requestId) {
    String version = p.get("Version");
    if (version != null && !version.equals(VERSION)) {
      throw ApiError.invalidParameter("This fake serves RDS API version " + VERSION + ", not " + version);
    }
    return switch (action) {
      case "CreateDBSnapshot" -> snapshots.create(region, p, requestId);
      case "DescribeDBSnapshots" -> snapshots.describe(region, p, requestId);
      case "DeleteDBSnapshot" -> snapshots.delete(region, p, requestId);
      case "CopyDBSnapshot" -> snapshots.copy(region, p, requestId);
      case "RestoreDBInstanceToPointInTime" -> instances.restoreToPointInTime(region, p, requestId);
      case "RestoreDBInstanceFromDBSnapshot" -> instances.restoreFromSnapshot(region, p, requestId);
      case "DescribeDBInstances" -> instances.describe(region, p, requestId);
      case "DeleteDBInstance" -> instances.delete(region, p, requestId);
      case "PromoteReadReplica" -> instances.promote(region, p, requestId);
      case "CreateDBInstanceReadReplica" -> instances.createReadReplica(region, p, requestId);
      case "DescribeDBInstanceAutomatedBackups" -> account.automatedBackups(region, p, requestId);
      case "DescribeAccountAttributes" -> account.accountAttributes(region, p, requestId);
      case "DescribeDBSubnetGroups" -> account.subnetGroups(region, p, requestId);
      case "AddTagsToResource" -> account.addTags(region, p, requestId);
      case "ListTagsForResource" -> account.listTags(region, p, requestId);
      default -> throw new ApiError(400, "InvalidAction", "The action " + action
          + " is not valid for this web service.");
    };
  }
}
