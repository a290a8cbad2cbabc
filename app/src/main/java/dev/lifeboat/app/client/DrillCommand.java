package dev.lifeboat.app.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lifeboat drill}: {@code POST /v1/drills}, then optionally the watch. */
@Command(name = "drill",
    description = "Run a disaster-recovery drill: restore an instance in a DR region (or, with --kind failover, "
        + "run the restore-in-dr failover on copies there), verify it, measure RTO and RPO. Prints the run id.")
final class DrillCommand extends ApiCommand {
  @Option(names = "--instance", required = true, paramLabel = "ID", description = "e.g. techcorp-primary")
  String instance;

  @Option(names = "--region", required = true, paramLabel = "REGION", description = "the DR region, e.g. dr-1")
  String region;

  @Option(names = "--source", paramLabel = "SOURCE",
      description = "latest-copy (default: the newest snapshot copy in the region) or pitr-latest")
  String source;

  @Option(names = "--verification", paramLabel = "SUITE",
      description = "the verification suite (default: the configured one)")
  String verification;

  @Option(names = "--rto", paramLabel = "DURATION", description = "RTO target, e.g. 30m (default: configured)")
  String rto;

  @Option(names = "--rpo", paramLabel = "DURATION", description = "RPO target, e.g. 15m (default: configured)")
  String rpo;

  @Option(names = "--kind", paramLabel = "KIND",
      description = "restore (default) or failover: the restore-in-dr failover on copies, production untouched")
  String kind;

  @Option(names = "--database", paramLabel = "NAME",
      description = "failover drills: the PgBouncer database whose entry the drill copies (default: the instance's)")
  String database;

  @Option(names = "--analytics-replica", paramLabel = "ID",
      description = "failover drills: the replica the failover recreates (default: the configured analytics replica)")
  String analyticsReplica;

  @Option(names = "--max-data-loss", paramLabel = "DURATION",
      description = "failover drills: fail when the copy would lose more than this, e.g. 1h (default: no bound)")
  String maxDataLoss;

  @Option(names = "--reason", required = true, paramLabel = "TEXT",
      description = "why: recorded with the run and in the audit log")
  String reason;

  @Option(names = "--watch", description = "then follow the run")
  boolean watch;

  @Override
  public Integer call() throws InterruptedException {
    ObjectNode body = object();
    body.put("instance", instance);
    body.put("region", region);
    putIfSet(body, "source", source);
    putIfSet(body, "verification", verification);
    putIfSet(body, "kind", kind);
    putIfSet(body, "database", database);
    putIfSet(body, "analyticsReplica", analyticsReplica);
    putIfSet(body, "maxDataLoss", maxDataLoss);
    if (rto != null || rpo != null) {
      ObjectNode targets = body.putObject("targets");
      putIfSet(targets, "rto", rto);
      putIfSet(targets, "rpo", rpo);
    }
    body.put("reason", reason);
    try {
      return started(api().post(ApiPaths.DRILLS, body), watch, false);
    } catch (ApiError e) {
      if ("NOT_FOUND".equals(e.error())) {
        throw e.withHint("This API does not offer drills yet: is it an older Lifeboat?");
      }
      throw e;
    }
  }
}
