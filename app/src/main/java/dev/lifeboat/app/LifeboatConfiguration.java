package dev.lifeboat.app;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.api.RestoreLimits;
import dev.lifeboat.app.config.AuthFactory;
import dev.lifeboat.app.config.DevFactory;
import dev.lifeboat.app.config.DrillsFactory;
import dev.lifeboat.app.config.PlatformFactory;
import dev.lifeboat.app.config.PoolerFactory;
import dev.lifeboat.app.config.ScheduleFactory;
import dev.lifeboat.app.config.TableRecoveryFactory;
import dev.lifeboat.app.config.TemporalFactory;
import dev.lifeboat.app.config.WorkerSettings;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The YAML configuration; every key is documented in docs/configuration.md. */
public class LifeboatConfiguration extends Configuration {
  @Valid
  @NotNull
  private TemporalFactory temporal = new TemporalFactory();
  /** Lifeboat's own catalog database. */
  @Valid
  @NotNull
  private DataSourceFactory database = new DataSourceFactory();
  @Valid
  @NotNull
  private PlatformFactory platform = new PlatformFactory();
  /** The connection pooler a failover switches: docs/configuration.md, "Connection pooler". */
  @Valid
  @NotNull
  private PoolerFactory pooler = new PoolerFactory();
  @Valid
  @NotNull
  private RestoreLimits restore = RestoreLimits.DEFAULTS;
  @Valid
  @NotNull
  private WorkerSettings worker = new WorkerSettings();
  @Valid
  @NotNull
  private DevFactory dev = new DevFactory();
  @Valid
  @NotNull
  private List<ScheduleFactory> schedules = new ArrayList<>();
  @Valid
  @NotNull
  private TableRecoveryFactory tableRecovery = new TableRecoveryFactory();
  @Valid
  @NotNull
  private DrillsFactory drills = new DrillsFactory();

  @Valid
  @NotNull
  private AuthFactory auth = new AuthFactory();

  /** Set by the command, never read from YAML. */
  @JsonIgnore
  private Set<Role> roles = EnumSet.of(Role.API);
  @JsonIgnore
  private boolean devMode;

  @JsonProperty
  public TemporalFactory getTemporal() {
    return temporal;
  }

  @JsonProperty
  public void setTemporal(TemporalFactory temporal) {
    this.temporal = temporal;
  }

  @JsonProperty
  public DataSourceFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DataSourceFactory database) {
    this.database = database;
  }

  @JsonProperty
  public PlatformFactory getPlatform() {
    return platform;
  }

  @JsonProperty
  public void setPlatform(PlatformFactory platform) {
    this.platform = platform;
  }

  @JsonProperty
  public PoolerFactory getPooler() {
    return pooler;
  }

  @JsonProperty
  public void setPooler(PoolerFactory pooler) {
    this.pooler = pooler;
  }

  @JsonProperty
  public RestoreLimits getRestore() {
    return restore;
  }

  @JsonProperty
  public void setRestore(RestoreLimits restore) {
    this.restore = restore;
  }

  @JsonProperty
  public WorkerSettings getWorker() {
    return worker;
  }

  @JsonProperty
  public void setWorker(WorkerSettings worker) {
    this.worker = worker;
  }

  @JsonProperty
  public DevFactory getDev() {
    return dev;
  }

  @JsonProperty
  public void setDev(DevFactory dev) {
    this.dev = dev;
  }

  @JsonProperty
  public List<ScheduleFactory> getSchedules() {
    return schedules;
  }

  @JsonProperty
  public void setSchedules(List<ScheduleFactory> schedules) {
    this.schedules = schedules;
  }

  @JsonProperty
  public TableRecoveryFactory getTableRecovery() {
    return tableRecovery;
  }

  @JsonProperty
  public void setTableRecovery(TableRecoveryFactory tableRecovery) {
    this.tableRecovery = tableRecovery;
  }

  @JsonProperty
  public DrillsFactory getDrills() {
    return drills;
  }

  @JsonProperty
  public void setDrills(DrillsFactory drills) {
    this.drills = drills;
  }

  @JsonIgnore
  public Set<Role> getRoles() {
    return roles;
  }

  @JsonIgnore
  public void setRoles(Set<Role> roles) {
    this.roles = EnumSet.copyOf(roles);
  }

  @JsonIgnore
  public boolean isDevMode() {
    return devMode;
  }

  @JsonIgnore
  public void setDevMode(boolean devMode) {
    this.devMode = devMode;
  }

  @JsonProperty
  public AuthFactory getAuth() {
    return auth;
  }

  @JsonProperty
  public void setAuth(AuthFactory auth) {
    this.auth = auth;
  }
}
