package dev.lifeboat.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lifeboat.api.audit.AuditFilter;
import dev.lifeboat.api.auth.AccessControl;
import dev.lifeboat.api.auth.TokenVerifier;
import dev.lifeboat.api.drills.DrillStarter;
import dev.lifeboat.api.drills.DrillValidator;
import dev.lifeboat.api.errors.JsonExceptionMapper;
import dev.lifeboat.api.errors.LifeboatExceptionMapper;
import dev.lifeboat.api.errors.TemporalExceptionMapper;
import dev.lifeboat.api.errors.UnexpectedExceptionMapper;
import dev.lifeboat.api.errors.WebApplicationExceptionMapper;
import dev.lifeboat.api.failover.FailoverStarter;
import dev.lifeboat.api.failover.FailoverValidator;
import dev.lifeboat.api.failover.RebuildStarter;
import dev.lifeboat.api.failover.RebuildValidator;
import dev.lifeboat.api.health.CatalogHealthCheck;
import dev.lifeboat.api.health.PlatformHealthCheck;
import dev.lifeboat.api.health.TemporalHealthCheck;
import dev.lifeboat.api.metrics.LifeboatMetrics;
import dev.lifeboat.api.preflight.Preflight;
import dev.lifeboat.api.resources.AuditResource;
import dev.lifeboat.api.resources.DrillsResource;
import dev.lifeboat.api.resources.FailoversResource;
import dev.lifeboat.api.resources.InstancesResource;
import dev.lifeboat.api.resources.OpenApiResource;
import dev.lifeboat.api.resources.PreflightResource;
import dev.lifeboat.api.resources.RestoresResource;
import dev.lifeboat.api.resources.RetentionResource;
import dev.lifeboat.api.resources.RunsResource;
import dev.lifeboat.api.resources.SchedulesResource;
import dev.lifeboat.api.resources.SnapshotsResource;
import dev.lifeboat.api.resources.TableRecoveriesResource;
import dev.lifeboat.api.restore.RestoreStarter;
import dev.lifeboat.api.restore.RestoreValidator;
import dev.lifeboat.api.retention.RetentionStarter;
import dev.lifeboat.api.retention.RetentionValidator;
import dev.lifeboat.api.runs.Idempotency;
import dev.lifeboat.api.runs.RunControl;
import dev.lifeboat.api.schedules.ScheduleControl;
import dev.lifeboat.api.snapshots.SnapshotListing;
import dev.lifeboat.api.snapshots.SnapshotStarter;
import dev.lifeboat.api.snapshots.SnapshotValidator;
import dev.lifeboat.api.tables.TableRecoveryStarter;
import dev.lifeboat.api.tables.TableRecoveryValidator;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import java.util.HashMap;
import java.util.Map;

/** Lifeboat's REST API, registered into the launcher's Dropwizard environment. */
public final class LifeboatApi {
  private LifeboatApi() {}

  /**
   * Registers resources, access control (bearer tokens, a role per endpoint), error mappers, the
 * audit filter and health checks ({@code temporal},
   * {@code catalog}, {@code platform}). Call {@link #useOwnErrorBodies} on the configuration too.
   *
   * <p>Also sets two features on the environment's shared ObjectMapper, because Jersey reads
   * request bodies with that very instance: unknown JSON fields are refused (a misspelt
   * {@code "tll"} must not silently fall back to the default TTL), and times and durations are
   * written as ISO-8601 text instead of numbers.
   */
  public static void register(Environment environment, ApiContext context) {
    ObjectMapper mapper = environment.getObjectMapper();
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    JerseyEnvironment jersey = environment.jersey();
    var runs = context.catalog().runs();
    Preflight preflight = new Preflight(context.platform(), context.poolerChecks(), context.clock());
    jersey.register(new RestoresResource(
        new RestoreValidator(context.platform(), context.restoreLimits()),
        new RestoreStarter(context.workflowClient(), context.taskQueue(), runs, context.clock()), preflight));
    jersey.register(new RunsResource(runs, new RunControl(context.workflowClient(), runs)));
    jersey.register(new InstancesResource(context.platform(), new RebuildValidator(context.platform(), runs),
        new RebuildStarter(context.workflowClient(), context.taskQueue(), runs, context.clock())));
    jersey.register(new TableRecoveriesResource(
        new TableRecoveryValidator(context.platform(), context.tableCheck(), context.tableRecovery()),
        new TableRecoveryStarter(context.workflowClient(), context.taskQueue(), runs, context.clock()), preflight));
    jersey.register(new SnapshotsResource(
        new SnapshotValidator(context.platform()),
        new SnapshotStarter(context.workflowClient(), context.taskQueue(), runs, context.clock()),
        new SnapshotListing(context.platform(), context.clock()), preflight));
    jersey.register(new RetentionResource(
        new RetentionValidator(context.platform()),
        new RetentionStarter(context.workflowClient(), context.taskQueue(), runs, context.clock())));
    jersey.register(new SchedulesResource(
        new ScheduleControl(context.workflowClient(), context.schedules(), ScheduleControl.DEFAULT_DEADLINE)));
    // the analytics replica of each primary, as drills and table recoveries name it (drills win where both do)
    Map<String, String> analyticsReplicas = new HashMap<>(context.tableRecovery().compareOn());
    analyticsReplicas.putAll(context.drills().analyticsReplicas());
    FailoverValidator failovers = new FailoverValidator(context.platform(), runs, analyticsReplicas);
    jersey.register(new DrillsResource(
        new DrillValidator(context.platform(), context.drills(), failovers),
        new DrillStarter(context.workflowClient(), context.taskQueue(), runs, context.clock()),
        context.catalog().drills(), runs, preflight, context.clock()));
    jersey.register(new PreflightResource(preflight));
    LifeboatMetrics.register(environment, context, preflight);
    jersey.register(new FailoversResource(failovers,
        new FailoverStarter(context.workflowClient(), context.taskQueue(), runs, context.clock()), runs,
        context.clock()));
    jersey.register(new OpenApiResource());
    jersey.register(new AuditResource(context.catalog().audit()));
    jersey.register(new Idempotency(context.catalog().idempotencyKeys()).binder());
    jersey.register(new AccessControl(new TokenVerifier(context.auth())));

    jersey.register(LifeboatExceptionMapper.class);
    jersey.register(JsonExceptionMapper.class);
    jersey.register(WebApplicationExceptionMapper.class);
    jersey.register(TemporalExceptionMapper.class);
    jersey.register(UnexpectedExceptionMapper.class);
    jersey.register(new AuditFilter(context.catalog().audit()));

    environment.healthChecks().register("temporal", new TemporalHealthCheck(context.workflowClient()));
    environment.healthChecks().register("catalog", new CatalogHealthCheck(context.catalog()));
    environment.healthChecks().register("platform", new PlatformHealthCheck(context.platform()));
  }

  /**
   * Turns off Dropwizard's default exception mappers, so that every error leaves in the API's one
   * shape: Dropwizard's catch-all for Throwable and its mappers for JSON, validation and
   * IllegalStateException would otherwise compete with ours and answer in their own shape. Call it
   * in {@code Application.run} (the server reads the flag when it is built, after {@code run}) or
   * set {@code server.registerDefaultExceptionMappers: false} in the YAML.
   */
  public static void useOwnErrorBodies(Configuration configuration) {
    if (!(configuration.getServerFactory() instanceof AbstractServerFactory server)) {
      throw new IllegalStateException("cannot disable Dropwizard's exception mappers on a "
          + configuration.getServerFactory().getClass().getName());
    }
    server.setRegisterDefaultExceptionMappers(false);
  }
}
