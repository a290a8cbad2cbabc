package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.app.config.ScheduleFactory;
import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.DrillKind;
import dev.lifeboat.common.model.DrillRequest;
import dev.lifeboat.common.model.RunKind;
import dev.lifeboat.common.model.ScheduleSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A schedule that cannot work is a clear error at start-up, before anything runs. */
class ScheduleConfigTest {
  private static ScheduleFactory schedule(String cron, String timeZone, String instance, String region) {
    ScheduleFactory factory = new ScheduleFactory();
    factory.setId("daily-snapshots");
    factory.setCron(cron);
    factory.setTimeZone(timeZone);
    factory.setInstances(List.of(instance));
    factory.setDrRegions(List.of(region));
    return factory;
  }

  @Test
  void build_givesTheSpecTheWorkflowRuns() {
    ScheduleSpec spec = schedule("0 3 * * *", "UTC", "techcorp-primary", "dr-1").build();

    assertThat(spec.workflowId()).isEqualTo("schedule-daily-snapshots");
    assertThat(spec.kind()).isEqualTo(RunKind.SNAPSHOT);
    assertThat(spec.snapshot().instances()).containsExactly("techcorp-primary");
    assertThat(spec.snapshot().drRegions()).containsExactly("dr-1");
  }

  @Test
  void build_whenCronDoesNotParse_namesTheCronAndTheExpectedForm() {
    assertThatThrownBy(() -> schedule("every day at 3", "UTC", "techcorp-primary", "dr-1").build())
        .isInstanceOfSatisfying(LifeboatException.class, e -> {
          assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST);
          assertThat(e.getMessage()).contains("every day at 3").contains("five fields");
        });
    assertThatThrownBy(() -> schedule("0 3 * * *", "Mars/Olympus", "techcorp-primary", "dr-1").build())
        .hasMessageContaining("Mars/Olympus");
  }

  @Test
  void build_whenRetentionPolicyDoesNotParse_namesIt() {
    ScheduleFactory factory = schedule("0 */6 * * *", "UTC", "techcorp-primary", "dr-1");
    factory.setKind("retention");
    factory.setRetentionPolicy("a week");

    assertThatThrownBy(factory::build).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.details()).containsEntry("field", "retentionPolicy")).hasMessageContaining("a week");
    factory.setRetentionPolicy("7d");
    assertThat(factory.build().retention().retention()).isEqualTo(java.time.Duration.ofDays(7));
  }

  @Test
  void failoverDrillSchedule_needsItsPoolerDatabase_andRestoresTheNewestCopy() {
    ScheduleFactory drill = schedule("0 5 1 */3 *", "UTC", "techcorp-primary", "dr-1");
    drill.setKind("drill");
    drill.setRegion("dr-1");
    drill.setDrillKind("failover");
    assertThatThrownBy(drill::build).isInstanceOfSatisfying(LifeboatException.class,
        e -> assertThat(e.details()).containsEntry("field", "database")).hasMessageContaining("needs 'database'");
    drill.setDatabase("techcorp");
    drill.setMaxDataLoss("6h");

    DrillRequest request = drill.build().drill();

    assertThat(request.kind()).isEqualTo(DrillKind.FAILOVER);
    assertThat(request.database()).isEqualTo("techcorp");
    assertThat(request.maxDataLoss()).isEqualTo(java.time.Duration.ofHours(6));
    drill.setSource("pitr-latest");
    assertThatThrownBy(drill::build).hasMessageContaining("latest-copy");
    drill.setSource("latest-copy");
    drill.setDrillKind("promote");
    assertThatThrownBy(drill::build).hasMessageContaining("is not restore or failover");
    drill.setDrillKind("restore");
    assertThatThrownBy(drill::build).hasMessageContaining("database belongs to failover drills");
  }

  @Test
  void reaper_needsNoInstances_butSnapshotsDo() {
    ScheduleFactory reaper = schedule("0 * * * *", "UTC", "x", "dr-1");
    reaper.setKind("reaper");
    reaper.setInstances(List.of());
    assertThat(reaper.build().reaper().grace()).isEqualTo(java.time.Duration.ofHours(1));

    ScheduleFactory snapshots = schedule("0 3 * * *", "UTC", "x", "dr-1");
    snapshots.setInstances(List.of());
    assertThatThrownBy(snapshots::build).hasMessageContaining("names no instances");
  }

  @Test
  void check_whenInstanceOrRegionIsUnknown_failsBeforeAnythingStarts() throws Exception {
    LocalPlatform platform = new LocalPlatform(LocalPlatformConfig.defaults(DevStack.testHome("schedules"))
        .withDrRegions(List.of("dr-1")));

    assertThatThrownBy(() -> ScheduleStarter.check(
        schedule("0 3 * * *", "UTC", "no-such-db", "dr-1").build(), platform))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.INSTANCE_NOT_FOUND))
        .hasMessageContaining("no-such-db");
    assertThatThrownBy(() -> ScheduleStarter.check(
        schedule("0 3 * * *", "UTC", "no-such-db", "dr-9").build(), platform))
        .isInstanceOfSatisfying(LifeboatException.class,
            e -> assertThat(e.type()).isEqualTo(ErrorType.REGION_NOT_FOUND))
        .hasMessageContaining("dr-9").hasMessageContaining("dr-1");
  }
}
