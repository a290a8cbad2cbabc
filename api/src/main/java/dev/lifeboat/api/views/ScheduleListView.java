package dev.lifeboat.api.views;

import java.util.List;

/** Every configured schedule, in configuration order. */
public record ScheduleListView(List<ScheduleView> items) {}
