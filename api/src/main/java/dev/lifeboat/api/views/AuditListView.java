package dev.lifeboat.api.views;

import java.util.List;

/** One page of the audit log, newest first; pass {@code nextCursor} back as {@code cursor}; null on the last page. */
public record AuditListView(List<AuditEntryView> items, String nextCursor) {}
