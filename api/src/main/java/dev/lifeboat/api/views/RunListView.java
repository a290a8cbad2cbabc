package dev.lifeboat.api.views;

import java.util.List;

/** One page of runs, newest first; pass {@code nextCursor} back as {@code cursor}; null on the last page. */
public record RunListView(List<RunView> items, String nextCursor) {}
