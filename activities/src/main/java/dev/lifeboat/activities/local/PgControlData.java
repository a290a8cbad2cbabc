package dev.lifeboat.activities.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code pg_controldata} says about a stopped cluster: whether it was shut down cleanly, and
 * where its last checkpoint is. After a clean shutdown that checkpoint is the last WAL record the
 * server wrote, so its location is where the server stopped.
 *
 * @param walLogHints whether it last ran with {@code wal_log_hints}: {@code pg_rewind} needs that or data checksums
 */
record PgControlData(String state, String checkpointLsn, int checkpointTimeline, String systemIdentifier,
    boolean walLogHints, boolean dataChecksums) {

  boolean cleanlyShutDown() {
    return "shut down".equals(state) || "shut down in recovery".equals(state);
  }

  static Optional<PgControlData> read(LocalContext ctx, PgCluster cluster) {
    if (!cluster.isInitialized()) {
      return Optional.empty();
    }
    // C locale: the labels are translated otherwise
    ProcessRunner.Result r = ctx.runner.runAsPg(List.of(ctx.binaries.tool("pg_controldata"), "-D",
        cluster.dataDir().toString()), Map.of("LC_ALL", "C", "LANG", "C"), Duration.ofSeconds(30));
    if (!r.ok()) {
      return Optional.empty();
    }
    return Optional.of(parse(r.output()));
  }

  static PgControlData parse(String output) {
    Map<String, String> values = new HashMap<>();
    for (String line : output.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        values.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    String tli = values.get("Latest checkpoint's TimeLineID");
    String checksums = values.get("Data page checksum version");
    return new PgControlData(values.get("Database cluster state"), values.get("Latest checkpoint location"),
        tli == null ? 0 : Integer.parseInt(tli), values.get("Database system identifier"),
        "on".equals(values.get("wal_log_hints setting")), checksums != null && !"0".equals(checksums));
  }
}
