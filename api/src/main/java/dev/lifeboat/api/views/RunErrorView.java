package dev.lifeboat.api.views;

import dev.lifeboat.common.model.RunError;

/** Why a run failed; {@code type} is an error name such as {@code WAL_MISSING}. */
public record RunErrorView(String type, String message) {
  public static RunErrorView of(RunError error) {
    return error == null ? null : new RunErrorView(error.type(), error.message());
  }
}
