package dev.lifeboat.app.client;

/** The API's paths the CLI calls. */
final class ApiPaths {
  static final String RESTORES = "/v1/restores";
  static final String TABLE_RECOVERIES = "/v1/table-recoveries";
  static final String DRILLS = "/v1/drills";
  static final String RUNS = "/v1/runs";
  static final String SNAPSHOTS = "/v1/snapshots";
  static final String PREFLIGHT = "/v1/preflight";

  private ApiPaths() {}

  static String run(String runId) {
    return RUNS + "/" + ApiClient.segment(runId);
  }

  /** {@code /v1/runs/{id}/release}, {@code .../approve} ... */
  static String run(String runId, String action) {
    return run(runId) + "/" + action;
  }
}
