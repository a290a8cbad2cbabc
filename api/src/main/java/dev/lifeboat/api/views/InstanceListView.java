package dev.lifeboat.api.views;

import java.util.List;

/** All instances the platform manages, temporary ones included. */
public record InstanceListView(List<InstanceView> items) {}
