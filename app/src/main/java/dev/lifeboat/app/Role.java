package dev.lifeboat.app;

/** What one process does: {@code server} is the API, {@code worker} the worker, {@code dev} both. */
public enum Role {
  API,
  WORKER
}
