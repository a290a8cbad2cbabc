package dev.lifeboat.fakerds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  @Test
  void lists_tagsAndFilters_areReadInIndexOrder_withOrWithoutMemberNames() {
    QueryParams p = QueryParams.parse("Action=RestoreDBInstanceToPointInTime"
        + "&VpcSecurityGroupIds.VpcSecurityGroupId.2=sg-b&VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-a"
        + "&Tags.Tag.1.Key=lifeboat%3Arun&Tags.Tag.1.Value=restore-x&Tags.member.2.Key=k&Tags.member.2.Value="
        + "&Filters.Filter.1.Name=db-instance-id&Filters.Filter.1.Values.Value.1=orders-db");

    assertThat(p.require("Action")).isEqualTo("RestoreDBInstanceToPointInTime");
    assertThat(p.list("VpcSecurityGroupIds")).containsExactly("sg-a", "sg-b");
    assertThat(p.tags("Tags")).containsExactly(Map.entry("lifeboat:run", "restore-x"), Map.entry("k", ""));
    assertThat(p.filters()).containsExactly(Map.entry("db-instance-id", List.of("orders-db")));
  }

  @Test
  void missingParameter_isMissingParameter() {
    assertThatThrownBy(() -> QueryParams.parse("Action=X").require("DBInstanceIdentifier"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo("MissingParameter"));
  }

  @Test
  void sigV4Scope_givesRegionAndService() {
    SigV4Scope s = SigV4Scope.parse("AWS4-HMAC-SHA256 Credential=AKID/20261130/us-west-2/rds/aws4_request,"
        + " SignedHeaders=host;x-amz-date, Signature=abc", null);
    SigV4Scope presigned = SigV4Scope.parse(null, "Action=CopyDBSnapshot"
        + "&X-Amz-Credential=AKID%2F20261130%2Fus-east-1%2Frds%2Faws4_request&X-Amz-Signature=abc");

    assertThat(s.region()).isEqualTo("us-west-2");
    assertThat(s.service()).isEqualTo("rds");
    assertThat(presigned.region()).isEqualTo("us-east-1");
  }

  @Test
  void paging_walksWithMarker() {
    List<Integer> all = IntStream.range(0, 45).boxed().toList();
    Paging.Page<Integer> first = Paging.page(all, QueryParams.parse("MaxRecords=20"));
    Paging.Page<Integer> third = Paging.page(all, QueryParams.parse("MaxRecords=20&Marker="
        + Paging.page(all, QueryParams.parse("MaxRecords=20&Marker=" + first.marker())).marker()));

    assertThat(first.items()).hasSize(20);
    assertThat(third.items()).containsExactly(40, 41, 42, 43, 44);
    assertThat(third.marker()).isNull();
    assertThatThrownBy(() -> Paging.page(all, QueryParams.parse("MaxRecords=5"))).isInstanceOf(ApiError.class);
  }

  @Test
  void xml_escapesText() {
    String xml = new Xml().start("A").leaf("B", "<&\"'>").end().toString();

    assertThat(xml).endsWith("<A><B>&lt;&amp;&quot;&apos;&gt;</B></A>");
  }
}
