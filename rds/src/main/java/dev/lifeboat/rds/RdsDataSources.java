package dev.lifeboat.rds;

import static dev.lifeboat.rds.RdsErrors.details;

import dev.lifeboat.common.ErrorType;
import dev.lifeboat.common.LifeboatException;
import dev.lifeboat.common.model.InstanceInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsUtilities;

/**
 * JDBC data sources to RDS instances: the configured user with a password from the environment,
 * or with a fresh IAM authentication token per connection (tokens live 15 minutes, connections
 * of a long table copy longer). TLS as configured, {@code verify-full} unless told otherwise.
 */
final class RdsDataSources {
  private final RdsContext ctx;
  private final Function<String, String> env;

  /** @param env reads an environment variable (System::getenv; a map in tests) */
  RdsDataSources(RdsContext ctx, Function<String, String> env) {
    this.ctx = ctx;
    this.env = env;
  }

  DataSource forInstance(InstanceInfo instance) {
    if (instance.endpoint() == null || instance.endpoint().host() == null) {
      throw new LifeboatException(ErrorType.INVALID_INSTANCE_STATE, "Instance " + instance.id() + " has no endpoint"
          + " yet (status " + instance.status() + "); connect once it is available", details("instance",
          instance.id(), "status", instance.status()));
    }
    RdsSettings.Database db = ctx.settings.database();
    String host = instance.endpoint().host();
    int port = instance.endpoint().port();
    PGSimpleDataSource ds;
    if (db.iamAuth()) {
      ds = new IamTokenDataSource(RdsUtilities.builder().region(Region.of(instance.region()))
          .credentialsProvider(ctx.clients.credentials(ctx.region(instance.region()))).build(), instance.region());
    } else {
      ds = new PGSimpleDataSource();
      // No passwordEnv: log in without a password (client certificates, or trust on loopback as with fake RDS)
      String variable = db.passwordEnv();
      if (variable != null && !variable.isBlank()) {
        String password = env.apply(variable);
        if (password == null) {
          throw new LifeboatException(ErrorType.CONFIGURATION_ERROR, "No database password for " + instance.id()
              + ": set the environment variable " + variable + " (platform.rds.database.passwordEnv), or use iamAuth",
              details("instance", instance.id(), "passwordEnv", variable));
        }
        ds.setPassword(password);
      }
    }
    ds.setServerNames(new String[] {host});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(instance.endpoint().database());
    ds.setUser(db.user());
    ds.setSslMode(db.sslMode() == null || db.sslMode().isBlank() ? "verify-full" : db.sslMode());
    ds.setConnectTimeout(10);
    ds.setApplicationName("lifeboat");
    return ds;
  }

  /** Asks RDS for an IAM authentication token at every connection. */
  private static final class IamTokenDataSource extends PGSimpleDataSource {
    private static final long serialVersionUID = 1L;
    private final transient RdsUtilities utilities;
    private final String region;

    IamTokenDataSource(RdsUtilities utilities, String region) {
      this.utilities = utilities;
      this.region = region;
    }

    @Override
    public Connection getConnection() throws SQLException {
      String token = utilities.generateAuthenticationToken(b -> b.hostname(getServerNames()[0])
          .port(getPortNumbers()[0]).username(getUser()).region(Region.of(region)));
      return getConnection(getUser(), token);
    }
  }
}
