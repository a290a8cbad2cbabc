package dev.lifeboat.app.client;

/** Run views as {@code GET /v1/runs/{id}} answers them, reduced to what a test varies. */
final class RunJson {
  private RunJson() {}

  static String run(String runId, String kind, String phase, String step, Integer percent, Long bytes,
      String detail) {
    return """
        {"runId":"%s","kind":"%s","instance":"techcorp-primary","requester":"alice","reason":"test",
         "phase":"%s","step":%s,"progress":{"percent":%s,"bytes":%s,"detail":%s},"steps":[],
         "endpoint":null,"result":null,"error":null,"startedAt":"2026-11-24T10:31:02Z","stoppedAt":null,
         "expiresAt":null,"links":{"self":"/v1/runs/%s"}}
        """.formatted(runId, kind, phase, quoted(step), percent, bytes, quoted(detail), runId);
  }

  static String held(String runId, String uri) {
    return """
        {"runId":"%s","kind":"restore","phase":"running","step":"hold",
         "progress":{"percent":90,"bytes":null,"detail":"ready at %s"},
         "steps":[{"name":"validate","status":"succeeded","durationMs":120},
                  {"name":"restore","status":"succeeded","durationMs":14200},
                  {"name":"hold","status":"running","durationMs":null}],
         "endpoint":{"host":"127.0.0.1","port":55432,"database":"techcorp","user":"postgres","uri":"%s"},
         "expiresAt":"2026-11-24T12:31:20Z","startedAt":"2026-11-24T10:31:02Z","links":{}}
        """.formatted(runId, uri, uri);
  }

  static String failed(String runId, String kind, String step, String type, String message) {
    return """
        {"runId":"%s","kind":"%s","phase":"failed","step":"%s","progress":{"percent":40,"bytes":null,"detail":null},
         "steps":[],"error":{"type":"%s","message":"%s"},"startedAt":"2026-11-24T10:31:02Z","links":{}}
        """.formatted(runId, kind, step, type, message);
  }

  static String error(int code, String error, String message) {
    return """
        {"code":%d,"error":"%s","message":"%s","details":{}}
        """.formatted(code, error, message);
  }

  private static String quoted(String text) {
    return text == null ? "null" : "\"" + text + "\"";
  }
}
