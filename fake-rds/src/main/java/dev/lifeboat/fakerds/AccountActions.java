package dev.lifeboat.fakerds;

import dev.lifeboat.common.model.InstanceInfo;
import dev.lifeboat.common.model.InstanceRole;
import dev.lifeboat.common.model.RestoreWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DescribeAccountAttributes, DescribeDBSubnetGroups, DescribeDBInstanceAutomatedBackups,
 * AddTagsToResource and ListTagsForResource.
 */
final class AccountActions {
  static final int MAX_INSTANCES = 40;
  static final int MAX_STORAGE_GB = 100_000;

  private final Backend b;
  private final RdsXml xml;

  AccountActions(Backend backend, RdsXml xml) {
    this.b = backend;
    this.xml = xml;
  }

  String accountAttributes(String region, QueryParams p, String requestId) {
    long instances = b.instances.count(region);
    Xml x = RdsXml.begin("DescribeAccountAttributes").start("AccountQuotas");
    quota(x, "DBInstances", instances, MAX_INSTANCES);
    quota(x, "ManualSnapshots", b.snapshots.count(region), b.faults.manualSnapshotQuota());
    quota(x, "AllocatedStorage", instances * RdsXml.ALLOCATED_STORAGE_GB, MAX_STORAGE_GB);
    x.end();
    return RdsXml.finish(x, requestId);
  }

  private static void quota(Xml x, String name, long used, long max) {
    x.start("AccountQuota").leaf("AccountQuotaName", name).leaf("Used", used).leaf("Max", max).end();
  }

  String subnetGroups(String region, QueryParams p, String requestId) {
    String name = p.get("DBSubnetGroupName");
    if (name != null && !name.equals(b.options.subnetGroup())) {
      throw new ApiError(404, "DBSubnetGroupNotFoundFault", "DBSubnetGroup " + name + " not found.");
    }
    Xml x = RdsXml.begin("DescribeDBSubnetGroups").start("DBSubnetGroups");
    xml.subnetGroup(x, region, b.options.subnetGroup());
    x.end();
    return RdsXml.finish(x, requestId);
  }

  private record Backup(String instance, RestoreWindow window) {}

  /**
   * The automated backups of the managed primaries: in the home region their local window; in a DR
   * region (as RDS's replicated automated backups) the window of the copies and WAL there.
   */
  String automatedBackups(String region, QueryParams p, String requestId) {
    String id = Identifiers.name(p.get("DBInstanceIdentifier"), "db", b.home());
    String arn = p.get("DBInstanceAutomatedBackupsArn");
    String resourceId = p.get("DbiResourceId");
    List<Backup> rows = new ArrayList<>();
    for (String managed : b.options.managedInstances().stream().sorted().toList()) {
      Optional<InstanceInfo> info = b.local(managed);
      if (info.isEmpty() || info.get().role() == InstanceRole.REPLICA) {
        continue;
      }
      if ((id != null && !id.equals(managed)) || (arn != null && !arn.equals(b.arns.automatedBackup(region, managed)))
          || (resourceId != null && !resourceId.equals(RdsXml.resourceId(managed)))) {
        continue;
      }
      RestoreWindow window = b.platform.restoreWindow(managed, region);
      if (!b.isHome(region) && window.earliest() == null) {
        continue;
      }
      rows.add(new Backup(managed, window));
    }
    if (rows.isEmpty() && (id != null || arn != null || resourceId != null)) {
      throw new ApiError(404, "DBInstanceAutomatedBackupNotFound", "No automated backup found for "
          + (id != null ? id : arn != null ? arn : resourceId) + " in " + region + ".");
    }
    Xml x = RdsXml.begin("DescribeDBInstanceAutomatedBackups").start("DBInstanceAutomatedBackups");
    rows.forEach(r -> xml.automatedBackup(x, region, r.instance(), r.window()));
    x.end();
    return RdsXml.finish(x, requestId);
  }

  String addTags(String region, QueryParams p, String requestId) {
    Arns.Arn arn = resource(region, p.require("ResourceName"));
    Map<String, String> tags = p.tags("Tags");
    if (arn.type().equals("db")) {
      Instances.Entry e = b.instances.find(region, arn.name()).orElseThrow(() -> ApiError.instanceNotFound(arn.name()));
      if (!e.rec().temporary() && tags.containsKey(RestoreTags.TEMPORARY)) {
        // the policy lets Lifeboat set this tag only when it creates an instance
        throw new ApiError(403, "AccessDenied", "User is not authorized to perform: rds:AddTagsToResource with the"
            + " tag " + RestoreTags.TEMPORARY + " on resource: " + b.arns.instance(region, arn.name()));
      }
      b.instances.update(arn.name(), r -> r.withTags(tags));
    } else {
      b.snapshots.find(region, arn.name()).orElseThrow(() -> ApiError.snapshotNotFound(arn.name()));
      b.snapshots.update(region, arn.name(), s -> s.withTags(tags));
    }
    return RdsXml.empty("AddTagsToResource", requestId);
  }

  String listTags(String region, QueryParams p, String requestId) {
    Arns.Arn arn = resource(region, p.require("ResourceName"));
    Map<String, String> tags = arn.type().equals("db")
        ? b.instances.find(region, arn.name()).orElseThrow(() -> ApiError.instanceNotFound(arn.name())).rec().tags()
        : b.snapshots.find(region, arn.name()).orElseThrow(() -> ApiError.snapshotNotFound(arn.name())).tags();
    Xml x = RdsXml.begin("ListTagsForResource");
    x.tags("TagList", tags);
    return RdsXml.finish(x, requestId);
  }

  private Arns.Arn resource(String region, String name) {
    Arns.Arn arn = Arns.parse(name).filter(a -> a.service().equals("rds"))
        .orElseThrow(() -> ApiError.invalidParameter("Invalid resource name: " + name));
    if (!arn.type().equals("db") && !arn.type().equals("snapshot")) {
      throw ApiError.invalidParameter("This fake tags DB instances and DB snapshots only: " + name);
    }
    if (!arn.region().equals(region) || !arn.account().equals(b.arns.account())) {
      throw arn.type().equals("db") ? ApiError.instanceNotFound(arn.name()) : ApiError.snapshotNotFound(arn.name());
    }
    return arn;
  }
}
