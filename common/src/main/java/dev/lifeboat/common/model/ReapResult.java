package dev.lifeboat.common.model;

import java.util.List;

/** The temporary instances the reaper deleted. */
public record ReapResult(List<String> deleted) {}
