package dev.lifeboat.api.views;

import java.util.List;

/** One page of drills, newest first, with the trend of the newest ones; pass {@code nextCursor} back as {@code cursor}. */
public record DrillListView(List<DrillSummaryView> items, DrillTrendView trend, String nextCursor) {}
