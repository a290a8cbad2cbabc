package dev.lifeboat.common.workflow;

import dev.lifeboat.common.failover.RebuildRequest;
import dev.lifeboat.common.model.RunState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.Map;

/**
 * After a failover, returns the fleet to its normal shape: checks the instance is a former primary
 * replaced by the new one, keeps its data directory aside (the transactions that never reached the
 * new primary live only there), turns it into a replica of the new primary ({@code pg_rewind}
 * where possible, a fresh base backup otherwise) and checks that it streams.
 */
@WorkflowInterface
public interface RebuildWorkflow {
  @WorkflowMethod
  Map<String, Object> rebuild(RebuildRequest request);

  @QueryMethod
  RunState state();
}
