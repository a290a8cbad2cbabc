package dev.lifeboat.api.views;

import java.util.List;

/** Snapshots of one region, newest first; pass {@code nextCursor} back as {@code cursor}; null on the last page. */
public record SnapshotListView(List<RegionSnapshotView> items, String nextCursor) {}
