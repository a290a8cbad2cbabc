package dev.lifeboat.api.views;

import java.util.List;

/**
 * The instances the platform manages, temporary ones included, by id; pass {@code nextCursor}
 * back as {@code cursor}; null on the last page.
 */
public record InstanceListView(List<InstanceView> items, String nextCursor) {}
