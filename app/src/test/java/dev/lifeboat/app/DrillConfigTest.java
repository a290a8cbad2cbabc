package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.app.config.DrillsFactory;
import dev.lifeboat.app.config.FileOrResourceSourceProvider;
import dev.lifeboat.app.config.ScheduleFactory;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.DrillSettings;
import dev.lifeboat.common.model.DrillSource;
import dev.lifeboat.common.model.RowCountRule;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import dev.lifeboat.common.model.VerificationSuite;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drills section and drill schedules: the built-in ones work, a broken one stops start-up naming the key. */
class DrillConfigTest {
  private static LifeboatConfiguration builtIn() throws Exception {
    return new YamlConfigurationFactory<>(LifeboatConfiguration.class, Validators.newValidator(),
        Jackson.newObjectMapper(), "dw")
        .build(new SubstitutingSourceProvider(new FileOrResourceSourceProvider(),
            new EnvironmentVariableSubstitutor(false)), "lifeboat.yml");
  }

  @Test
  void builtInConfiguration_hasTheTechcorpSuite_andAWeeklyDrillOfThePrimaryInDr1() throws Exception {
    LifeboatConfiguration config = builtIn();

    DrillSettings drills = config.getDrills().settings();
    assertThat(drills.defaultSuite()).isEqualTo("techcorp");
    assertThat(drills.targets().rto()).isEqualTo(Duration.ofHours(1));
    assertThat(drills.targets().rpo()).isEqualTo(Duration.ofHours(24));
    assertThat(drills.analyticsReplicaOf("techcorp-primary")).contains("techcorp-analytics");
    VerificationSuite suite = drills.suite(null).orElseThrow();
    assertThat(suite.rowCounts()).extracting(RowCountRule::schema)
        .containsExactly("auth", "users", "products", "inventory");
    assertThat(suite.rowCounts()).allSatisfy(rule -> {
      assertThat(rule.everyTable()).isTrue();
      assertThat(rule.allowedDifference(1_000)).isZero();
    });
    assertThat(suite.checks()).extracting(c -> c.name()).containsExactly("recent-orders", "every-order-has-items");
    assertThat(suite.freshnessQuery()).isEqualTo("select max(created_at) from orders.orders");

    List<ScheduleSpec> schedules = config.getSchedules().stream().map(ScheduleFactory::build).toList();
    ScheduleSpec weekly = schedules.stream().filter(s -> s.kind() == RunKind.DRILL).findFirst().orElseThrow();
    assertThat(weekly.id()).isEqualTo("weekly-dr-drill");
    assertThat(weekly.cron()).isEqualTo("0 4 * * 0");
    assertThat(weekly.drill()).isEqualTo(new DrillRequest("techcorp-primary", "dr-1", DrillSource.LATEST_COPY,
        "techcorp", null, null, null));
    DrillsFactory.checkSchedules(schedules, drills);
  }

  @Test
  void drillSchedule_thatCannotWork_isRefusedNamingTheField() {
    ScheduleFactory factory = new ScheduleFactory();
    factory.setId("drill");
    factory.setCron("0 4 * * 0");
    factory.setKind("drill");
    factory.setInstances(List.of("a-db", "b-db"));
    factory.setRegion("dr-1");
    assertThatThrownBy(factory::build).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.details()).containsEntry("field", "instances"));
    factory.setInstances(List.of("a-db"));
    factory.setRegion(null);
    assertThatThrownBy(factory::build).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.details()).containsEntry("field", "region"));
    factory.setRegion("dr-1");
    factory.setSource("yesterday");
    assertThatThrownBy(factory::build).hasMessageContaining("yesterday");
    factory.setSource("pitr-latest");
    factory.setTargets(new DrillsFactory.TargetsFactory("15m", null));
    DrillRequest drill = factory.build().drill();
    assertThat(drill.source()).isEqualTo(DrillSource.PITR_LATEST);
    assertThat(drill.targets().rto()).isEqualTo(Duration.ofMinutes(15));
    assertThat(drill.targets().rpo()).isNull();

    factory.setVerification("nightly");
    assertThatThrownBy(() -> DrillsFactory.checkSchedules(List.of(factory.build()), DrillSettings.NONE))
        .hasMessageContaining("schedule drill").hasMessageContaining("'nightly'");
  }

  @Test
  void drillsSection_thatCannotWork_namesTheKey() {
    DrillsFactory.RowCountFactory lots = new DrillsFactory.RowCountFactory("s", null, "lots");
    assertThatThrownBy(() -> drills(Map.of("a", suite(List.of(lots), null)), null).settings())
        .hasMessageContaining("drills.suites.a.rowCounts").hasMessageContaining("lots");
    assertThatThrownBy(() -> drills(Map.of("a", suite(null, List.of(new DrillsFactory.SqlCheckFactory("x", " ")))),
        null).settings()).hasMessageContaining("drills.suites.a.checks");
    assertThatThrownBy(() -> drills(Map.of("a", new DrillsFactory.SuiteFactory(null, null, null, null, "select 1")),
        null).settings()).hasMessageContaining("checks nothing");
    DrillsFactory.SuiteFactory ok = suite(null, List.of(new DrillsFactory.SqlCheckFactory("x", "select true")));
    assertThatThrownBy(() -> drills(Map.of("a", ok), "b").settings()).hasMessageContaining("drills.defaultSuite 'b'");
    DrillsFactory ttl = drills(Map.of(), null);
    ttl.setInstanceTtl("never");
    assertThatThrownBy(ttl::settings).hasMessageContaining("drills.instanceTtl");

    DrillsFactory.RowCountFactory onePercent = new DrillsFactory.RowCountFactory("s", List.of("t"), "1%");
    DrillSettings one = drills(Map.of("only", suite(List.of(onePercent), null)), null).settings();
    assertThat(one.defaultSuite()).as("the only suite is the default").isEqualTo("only");
    assertThat(one.suite("only").orElseThrow().rowCounts().get(0).allowedDifference(250)).isEqualTo(2);
  }

  private static DrillsFactory.SuiteFactory suite(List<DrillsFactory.RowCountFactory> rows,
      List<DrillsFactory.SqlCheckFactory> checks) {
    return new DrillsFactory.SuiteFactory(rows, checks, null, null, null);
  }

  private static DrillsFactory drills(Map<String, DrillsFactory.SuiteFactory> suites, String defaultSuite) {
    DrillsFactory factory = new DrillsFactory();
    factory.setSuites(suites);
    factory.setDefaultSuite(defaultSuite);
    return factory;
  }
}
