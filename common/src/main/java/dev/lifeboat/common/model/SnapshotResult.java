package dev.lifeboat.common.model;

import java.util.List;

/** Output of {@link dev.lifeboat.common.workflow.SnapshotWorkflow}: one outcome per instance. */
public record SnapshotResult(List<InstanceSnapshotOutcome> instances) {
  public boolean allSucceeded() {
    return instances.stream().allMatch(i -> "succeeded".equals(i.status())
        && i.copies().stream().allMatch(c -> "succeeded".equals(c.status())));
  }
}
