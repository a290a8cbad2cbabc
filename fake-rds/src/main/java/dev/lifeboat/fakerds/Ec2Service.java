package dev.lifeboat.fakerds;

import java.util.ArrayList;
import java.util.List;

/**
 * EC2 {@code DescribeSecurityGroups} over the EC2 Query protocol (API 2016-11-15): the configured
 * groups exist in every region, by {@code GroupId.N} or the {@code group-id} filter.
 */
final class Ec2Service {
  static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

  private final Backend b;

  Ec2Service(Backend backend) {
    this.b = backend;
  }

  String handle(String action, String region, QueryParams p, String requestId) {
    if (!action.equals("DescribeSecurityGroups")) {
      throw new ApiError(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
    }
    List<String> ids = new ArrayList<>(p.list("GroupId"));
    ids.addAll(p.filters().getOrDefault("group-id", List.of()));
    List<String> known = b.options.securityGroups();
    for (String id : ids) {
      if (!known.contains(id)) {
        throw new ApiError(400, "InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
      }
    }
    List<String> shown = ids.isEmpty() ? known : ids.stream().distinct().toList();
    Xml x = new Xml().start("DescribeSecurityGroupsResponse", NAMESPACE).leaf("requestId", requestId)
        .start("securityGroupInfo");
    for (String id : shown) {
      x.start("item")
          .leaf("ownerId", b.arns.account())
          .leaf("groupId", id)
          .leaf("groupName", "lifeboat-" + id)
          .leaf("groupDescription", "Lifeboat temporary instances")
          .leaf("vpcId", RdsXml.VPC_ID)
          .empty("ipPermissions")
          .empty("ipPermissionsEgress")
          .end();
    }
    return x.end().end().toString();
  }

  static String error(ApiError e, String requestId) {
    return new Xml().start("Response").start("Errors").start("Error").leaf("Code", e.code())
        .leaf("Message", e.getMessage()).end().end().leaf("RequestID", requestId).end().toString();
  }
}
