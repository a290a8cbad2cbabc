package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.activities.local.OsUser;
import dev.lifeboat.activities.local.ProcessRunner;
import dev.lifeboat.activities.pooler.ExternalPgBouncer;
import dev.lifeboat.api.DurationText;
import dev.lifeboat.common.platform.Platform;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code pooler:} in the YAML: the connection pooler a failover switches traffic through.
 * {@code managed} is {@code lifeboat dev}'s own PgBouncer in front of the local fleet (the default on
 * {@code platform.type: local}); {@code pgbouncer} an existing PgBouncer Lifeboat does not run, whose
 * included databases file it rewrites and whose admin console it drives; {@code none} (the default on
 * {@code rds}) refuses failovers at their preflight. Passwords are read from the environment
 * variables named here, never written in the file.
 */
public class PoolerFactory {
  public static final String NONE = "none";
  public static final String MANAGED = "managed";
  public static final String PGBOUNCER = "pgbouncer";
  public static final List<String> TYPES = List.of(NONE, MANAGED, PGBOUNCER);

  /** Null: {@code managed} on the local platform, {@code none} on RDS. */
  private String type;
  private String databasesFile;
  @Valid
  @NotNull
  private LoginFactory admin = new LoginFactory("pgbouncer", "PGBOUNCER_ADMIN_PASSWORD", null);
  @Valid
  @NotNull
  private LoginFactory client = new LoginFactory("lifeboat", "LIFEBOAT_POOLER_PASSWORD", "prefer");
  @NotBlank
  private String psql = "psql";
  @NotBlank
  private String pauseTimeout = "30s";

  /**
   * The type in effect: the configured one, else the platform's default.
   *
   * @throws IllegalArgumentException for an unknown type, naming the allowed ones, or {@code managed} on RDS
   */
  public String effectiveType(boolean rds) {
    String effective = type == null || type.isBlank() ? (rds ? NONE : MANAGED) : type;
    if (!TYPES.contains(effective)) {
      throw new IllegalArgumentException("pooler.type '" + type + "' is not one of " + String.join(", ", TYPES));
    }
    if (rds && MANAGED.equals(effective)) {
      throw new IllegalArgumentException("pooler.type managed is the PgBouncer lifeboat dev runs in front of local"
          + " clusters; on platform.type rds use pgbouncer (an existing PgBouncer) or none");
    }
    return effective;
  }

  /**
   * The router of an existing PgBouncer ({@code type: pgbouncer}); not validated yet (see
   * {@link ExternalPgBouncer#validate()}).
   *
   * @throws IllegalArgumentException naming the key to fix
   */
  public ExternalPgBouncer buildExternal(Platform platform, UnaryOperator<String> env) {
    if (databasesFile == null || databasesFile.isBlank()) {
      throw new IllegalArgumentException("pooler.type is pgbouncer but pooler.databasesFile is missing: the file"
          + " PgBouncer's [databases] section includes (%include), which Lifeboat rewrites");
    }
    Duration pause = DurationText.parse(pauseTimeout).filter(d -> !d.isZero() && !d.isNegative())
        .orElseThrow(() -> new IllegalArgumentException("pooler.pauseTimeout '" + pauseTimeout + "' is not "
            + DurationText.EXPECTED));
    return new ExternalPgBouncer(new ExternalPgBouncer.Settings(Path.of(databasesFile), admin.login("admin"),
        client.login("client"), psql, pause), platform, new ProcessRunner(OsUser.detect(null)), env);
  }

  /** How Lifeboat logs in: to the admin console ({@code admin}) or through the pooler ({@code client}). */
  public static class LoginFactory {
    @NotBlank
    private String host = "127.0.0.1";
    @Min(1)
    @Max(65535)
    private int port = 6432;
    @NotBlank
    private String user;
    private String passwordEnv;
    private String sslMode;

    public LoginFactory() {}

    LoginFactory(String user, String passwordEnv, String sslMode) {
      this.user = user;
      this.passwordEnv = passwordEnv;
      this.sslMode = sslMode;
    }

    ExternalPgBouncer.Login login(String key) {
      if (sslMode != null && !sslMode.isBlank() && !List.of("disable", "allow", "prefer", "require", "verify-ca",
          "verify-full").contains(sslMode)) {
        throw new IllegalArgumentException("pooler." + key + ".sslMode '" + sslMode + "' is not one of disable,"
            + " allow, prefer, require, verify-ca, verify-full");
      }
      return new ExternalPgBouncer.Login(host, port, user, passwordEnv == null || passwordEnv.isBlank() ? null
          : passwordEnv, sslMode == null || sslMode.isBlank() ? null : sslMode);
    }

    @JsonProperty
    public String getHost() {
      return host;
    }

    @JsonProperty
    public void setHost(String host) {
      this.host = host;
    }

    @JsonProperty
    public int getPort() {
      return port;
    }

    @JsonProperty
    public void setPort(int port) {
      this.port = port;
    }

    @JsonProperty
    public String getUser() {
      return user;
    }

    @JsonProperty
    public void setUser(String user) {
      this.user = user;
    }

    @JsonProperty
    public String getPasswordEnv() {
      return passwordEnv;
    }

    @JsonProperty
    public void setPasswordEnv(String passwordEnv) {
      this.passwordEnv = passwordEnv;
    }

    @JsonProperty
    public String getSslMode() {
      return sslMode;
    }

    @JsonProperty
    public void setSslMode(String sslMode) {
      this.sslMode = sslMode;
    }
  }

  @JsonProperty
  public String getType() {
    return type;
  }

  @JsonProperty
  public void setType(String type) {
    this.type = type;
  }

  @JsonProperty
  public String getDatabasesFile() {
    return databasesFile;
  }

  @JsonProperty
  public void setDatabasesFile(String databasesFile) {
    this.databasesFile = databasesFile;
  }

  @JsonProperty
  public LoginFactory getAdmin() {
    return admin;
  }

  @JsonProperty
  public void setAdmin(LoginFactory admin) {
    this.admin = admin;
  }

  @JsonProperty
  public LoginFactory getClient() {
    return client;
  }

  @JsonProperty
  public void setClient(LoginFactory client) {
    this.client = client;
  }

  @JsonProperty
  public String getPsql() {
    return psql;
  }

  @JsonProperty
  public void setPsql(String psql) {
    this.psql = psql;
  }

  @JsonProperty
  public String getPauseTimeout() {
    return pauseTimeout;
  }

  @JsonProperty
  public void setPauseTimeout(String pauseTimeout) {
    this.pauseTimeout = pauseTimeout;
  }
}
