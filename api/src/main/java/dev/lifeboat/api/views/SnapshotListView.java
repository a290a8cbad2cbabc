package dev.lifeboat.api.views;

import java.util.List;

/** Snapshots of one region, newest first. */
public record SnapshotListView(List<RegionSnapshotView> items) {}
