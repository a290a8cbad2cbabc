package dev.lifeboat.api.views;

import java.util.List;

/**
 * The configured schedules, in configuration order; pass {@code nextCursor} back as
 * {@code cursor}; null on the last page.
 */
public record ScheduleListView(List<ScheduleView> items, String nextCursor) {}
