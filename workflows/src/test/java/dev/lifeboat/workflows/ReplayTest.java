package dev.lifeboat.workflows;

import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Replays recorded histories against today's workflow code: a change that would break runs in
 * flight fails here (version it with {@code Workflow.getVersion} instead).
 */
class ReplayTest {
  @ParameterizedTest
  @CsvSource({
    "restore-released.json, dev.lifeboat.workflows.PointInTimeRestoreWorkflowImpl",
    "snapshot-with-copy.json, dev.lifeboat.workflows.SnapshotWorkflowImpl",
    "copy.json, dev.lifeboat.workflows.CrossRegionCopyWorkflowImpl",
    "schedule-two-days-then-paused.json, dev.lifeboat.workflows.ScheduleWorkflowImpl",
    "retention.json, dev.lifeboat.workflows.RetentionWorkflowImpl",
    "reaper.json, dev.lifeboat.workflows.ReaperWorkflowImpl",
    "drill-passed.json, dev.lifeboat.workflows.DrDrillWorkflowImpl",
    "table-recovery-approved.json, dev.lifeboat.workflows.TableRecoveryWorkflowImpl",
    "failover-approved.json, dev.lifeboat.workflows.FailoverWorkflowImpl",
    "rebuild-rewound.json, dev.lifeboat.workflows.RebuildWorkflowImpl",
  })
  void recordedHistory_replaysWithoutNondeterminism(String file, String implementation) throws Exception {
    String json = Files.readString(RecordHistoriesTest.DIR.resolve(file));
    WorkflowReplayer.replayWorkflowExecution(json, Class.forName(implementation));
  }
}
