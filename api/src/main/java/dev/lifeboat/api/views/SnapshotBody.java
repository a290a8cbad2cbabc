package dev.lifeboat.api.views;

import java.util.List;

/**
 * Body of {@code POST /v1/snapshots}.
 *
 * @param drRegions optional, the DR regions to copy the snapshot to; every DR region of the
 *     platform when left out, none when empty
 */
public record SnapshotBody(String instance, List<String> drRegions, String reason) {}
