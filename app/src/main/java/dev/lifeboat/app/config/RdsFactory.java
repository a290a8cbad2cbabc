package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.api.DurationText;
import dev.lifeboat.common.Ids;
import dev.lifeboat.rds.RdsSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code platform.rds:} in the YAML: the regions (home first, then DR), the managed instances by
 * their RDS identifiers, how Lifeboat logs in to their databases, and what temporary instances are
 * created with. {@code config/rds.yml} mirrors the production fleet; docs/configuration.md lists
 * every key.
 */
public class RdsFactory {
  @Valid
  @NotEmpty
  private List<RegionFactory> regions = new ArrayList<>();
  @Valid
  @NotEmpty
  private List<InstanceFactory> instances = new ArrayList<>();
  @NotBlank
  private String apiCallTimeout = "2m";
  @NotBlank
  private String apiCallAttemptTimeout = "30s";
  @NotBlank
  private String retryMode = "adaptive";
  @Min(1)
  private int maxAttempts = 8;
  @NotBlank
  private String pollInterval = "15s";
  @Valid
  private DatabaseFactory database = new DatabaseFactory();
  @Valid
  private TemporaryFactory temporary = new TemporaryFactory();
  @Valid
  private DrPrimaryFactory drPrimary = new DrPrimaryFactory();

  public RdsSettings settings() {
    if (!"standard".equals(retryMode) && !"adaptive".equals(retryMode)) {
      throw new IllegalArgumentException("platform.rds.retryMode '" + retryMode + "' must be standard or adaptive");
    }
    List<RdsSettings.Region> regionSettings = regions.stream().map(RegionFactory::settings).toList();
    List<RdsSettings.Instance> instanceSettings = new ArrayList<>();
    for (InstanceFactory instance : instances) {
      if (!Ids.validInstanceId(instance.id)) {
        throw new IllegalArgumentException("platform.rds.instances: '" + instance.id + "' is not an RDS DB instance"
            + " identifier (a letter, then letters, digits and single hyphens, at most 63 characters)");
      }
      instanceSettings.add(new RdsSettings.Instance(instance.id, instance.database));
    }
    for (RdsSettings.Region region : regionSettings.subList(1, regionSettings.size())) {
      if (!temporary.subnetGroups.containsKey(region.name())) {
        throw new IllegalArgumentException("platform.rds.temporary.subnetGroups has no entry for DR region "
            + region.name() + ": drills restore there");
      }
    }
    return new RdsSettings(regionSettings, instanceSettings, duration("apiCallTimeout", apiCallTimeout),
        duration("apiCallAttemptTimeout", apiCallAttemptTimeout), retryMode, maxAttempts,
        duration("pollInterval", pollInterval), database.settings(), temporary.settings(), drPrimary.settings());
  }

  static Duration duration(String key, String text) {
    Duration d = DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException(
        "platform.rds." + key + " '" + text + "' is not " + DurationText.EXPECTED));
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("platform.rds." + key + " must be more than zero, got " + text);
    }
    return d;
  }

  /** One region: {@code name} and, optionally, an endpoint override, credentials, the copies' KMS key, limits, exports. */
  public static class RegionFactory {
    @NotBlank
    private String name;
    private String endpoint;
    @Valid
    private CredentialsFactory credentials;
    private String kmsKeyId;
    @Min(1)
    private int maxCopiesInFlight = 20;
    @Min(1)
    private int manualSnapshotQuota = 100;
    @Valid
    private ExportsFactory exports;

    RdsSettings.Region settings() {
      return new RdsSettings.Region(name, uri(endpoint), credentials == null ? RdsSettings.Credentials.DEFAULT_CHAIN
          : credentials.settings(), blankToNull(kmsKeyId), maxCopiesInFlight, manualSnapshotQuota,
          exports == null ? null : exports.settings());
    }

    @JsonProperty
    public String getName() {
      return name;
    }

    @JsonProperty
    public void setName(String name) {
      this.name = name;
    }

    @JsonProperty
    public String getEndpoint() {
      return endpoint;
    }

    @JsonProperty
    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }

    @JsonProperty
    public CredentialsFactory getCredentials() {
      return credentials;
    }

    @JsonProperty
    public void setCredentials(CredentialsFactory credentials) {
      this.credentials = credentials;
    }

    @JsonProperty
    public String getKmsKeyId() {
      return kmsKeyId;
    }

    @JsonProperty
    public void setKmsKeyId(String kmsKeyId) {
      this.kmsKeyId = kmsKeyId;
    }

    @JsonProperty
    public int getMaxCopiesInFlight() {
      return maxCopiesInFlight;
    }

    @JsonProperty
    public void setMaxCopiesInFlight(int maxCopiesInFlight) {
      this.maxCopiesInFlight = maxCopiesInFlight;
    }

    @JsonProperty
    public int getManualSnapshotQuota() {
      return manualSnapshotQuota;
    }

    @JsonProperty
    public void setManualSnapshotQuota(int manualSnapshotQuota) {
      this.manualSnapshotQuota = manualSnapshotQuota;
    }

    @JsonProperty
    public ExportsFactory getExports() {
      return exports;
    }

    @JsonProperty
    public void setExports(ExportsFactory exports) {
      this.exports = exports;
    }
  }

  /** Default chain when empty; else a profile and/or a role to assume. */
  public static class CredentialsFactory {
    private String profile;
    private String roleArn;
    private String externalId;
    private String sessionName = "lifeboat";

    RdsSettings.Credentials settings() {
      return new RdsSettings.Credentials(blankToNull(profile), blankToNull(roleArn), blankToNull(externalId),
          blankToNull(sessionName));
    }

    @JsonProperty
    public String getProfile() {
      return profile;
    }

    @JsonProperty
    public void setProfile(String profile) {
      this.profile = profile;
    }

    @JsonProperty
    public String getRoleArn() {
      return roleArn;
    }

    @JsonProperty
    public void setRoleArn(String roleArn) {
      this.roleArn = roleArn;
    }

    @JsonProperty
    public String getExternalId() {
      return externalId;
    }

    @JsonProperty
    public void setExternalId(String externalId) {
      this.externalId = externalId;
    }

    @JsonProperty
    public String getSessionName() {
      return sessionName;
    }

    @JsonProperty
    public void setSessionName(String sessionName) {
      this.sessionName = sessionName;
    }
  }

  /** Table exports of a region on S3. */
  public static class ExportsFactory {
    @NotBlank
    private String bucket;
    private String prefix = "lifeboat/exports";
    private String sseKmsKeyId;
    private String endpoint;
    private boolean pathStyle;

    RdsSettings.S3Exports settings() {
      return new RdsSettings.S3Exports(bucket, prefix == null ? "" : prefix, blankToNull(sseKmsKeyId), uri(endpoint),
          pathStyle);
    }

    @JsonProperty
    public String getBucket() {
      return bucket;
    }

    @JsonProperty
    public void setBucket(String bucket) {
      this.bucket = bucket;
    }

    @JsonProperty
    public String getPrefix() {
      return prefix;
    }

    @JsonProperty
    public void setPrefix(String prefix) {
      this.prefix = prefix;
    }

    @JsonProperty
    public String getSseKmsKeyId() {
      return sseKmsKeyId;
    }

    @JsonProperty
    public void setSseKmsKeyId(String sseKmsKeyId) {
      this.sseKmsKeyId = sseKmsKeyId;
    }

    @JsonProperty
    public String getEndpoint() {
      return endpoint;
    }

    @JsonProperty
    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }

    @JsonProperty
    public boolean isPathStyle() {
      return pathStyle;
    }

    @JsonProperty
    public void setPathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
    }
  }

  /** A managed instance: its RDS identifier and the application database on it. */
  public static class InstanceFactory {
    @NotBlank
    private String id;
    @NotBlank
    private String database = "postgres";

    @JsonProperty
    public String getId() {
      return id;
    }

    @JsonProperty
    public void setId(String id) {
      this.id = id;
    }

    @JsonProperty
    public String getDatabase() {
      return database;
    }

    @JsonProperty
    public void setDatabase(String database) {
      this.database = database;
    }
  }

  /** How Lifeboat logs in to instances' databases for table copy and verification. */
  public static class DatabaseFactory {
    @NotBlank
    private String user = "lifeboat";
    private String passwordEnv = "LIFEBOAT_DB_PASSWORD";
    private boolean iamAuth;
    @NotBlank
    private String sslMode = "verify-full";

    RdsSettings.Database settings() {
      return new RdsSettings.Database(user, blankToNull(passwordEnv), iamAuth, sslMode);
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
    public boolean isIamAuth() {
      return iamAuth;
    }

    @JsonProperty
    public void setIamAuth(boolean iamAuth) {
      this.iamAuth = iamAuth;
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

  /** What temporary instances (restores, table recoveries, drills) are created with, per region. */
  public static class TemporaryFactory {
    @NotBlank
    private String instanceClass = "db.t4g.medium";
    private Map<String, String> subnetGroups = new LinkedHashMap<>();
    private Map<String, List<String>> securityGroups = new LinkedHashMap<>();

    RdsSettings.Temporary settings() {
      return new RdsSettings.Temporary(instanceClass, subnetGroups, securityGroups);
    }

    @JsonProperty
    public String getInstanceClass() {
      return instanceClass;
    }

    @JsonProperty
    public void setInstanceClass(String instanceClass) {
      this.instanceClass = instanceClass;
    }

    @JsonProperty
    public Map<String, String> getSubnetGroups() {
      return subnetGroups;
    }

    @JsonProperty
    public void setSubnetGroups(Map<String, String> subnetGroups) {
      this.subnetGroups = subnetGroups;
    }

    @JsonProperty
    public Map<String, List<String>> getSecurityGroups() {
      return securityGroups;
    }

    @JsonProperty
    public void setSecurityGroups(Map<String, List<String>> securityGroups) {
      this.securityGroups = securityGroups;
    }
  }

  /**
   * What a restore-in-dr failover's permanent primary is created with, per DR region: production's
   * class, Multi-AZ, network and parameter group (a region left out gets the temporary instances'
   * network, single-AZ, and the preflight warns).
   */
  public static class DrPrimaryFactory {
    private String instanceClass;
    private boolean multiAz = true;
    private Map<String, String> subnetGroups = new LinkedHashMap<>();
    private Map<String, List<String>> securityGroups = new LinkedHashMap<>();
    private Map<String, String> parameterGroups = new LinkedHashMap<>();

    RdsSettings.DrPrimary settings() {
      return new RdsSettings.DrPrimary(blankToNull(instanceClass), multiAz, subnetGroups, securityGroups,
          parameterGroups);
    }

    @JsonProperty
    public String getInstanceClass() {
      return instanceClass;
    }

    @JsonProperty
    public void setInstanceClass(String instanceClass) {
      this.instanceClass = instanceClass;
    }

    @JsonProperty
    public boolean isMultiAz() {
      return multiAz;
    }

    @JsonProperty
    public void setMultiAz(boolean multiAz) {
      this.multiAz = multiAz;
    }

    @JsonProperty
    public Map<String, String> getSubnetGroups() {
      return subnetGroups;
    }

    @JsonProperty
    public void setSubnetGroups(Map<String, String> subnetGroups) {
      this.subnetGroups = subnetGroups;
    }

    @JsonProperty
    public Map<String, List<String>> getSecurityGroups() {
      return securityGroups;
    }

    @JsonProperty
    public void setSecurityGroups(Map<String, List<String>> securityGroups) {
      this.securityGroups = securityGroups;
    }

    @JsonProperty
    public Map<String, String> getParameterGroups() {
      return parameterGroups;
    }

    @JsonProperty
    public void setParameterGroups(Map<String, String> parameterGroups) {
      this.parameterGroups = parameterGroups;
    }
  }

  private static URI uri(String text) {
    return text == null || text.isBlank() ? null : URI.create(text);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  @JsonProperty
  public List<RegionFactory> getRegions() {
    return regions;
  }

  @JsonProperty
  public void setRegions(List<RegionFactory> regions) {
    this.regions = regions;
  }

  @JsonProperty
  public List<InstanceFactory> getInstances() {
    return instances;
  }

  @JsonProperty
  public void setInstances(List<InstanceFactory> instances) {
    this.instances = instances;
  }

  @JsonProperty
  public String getApiCallTimeout() {
    return apiCallTimeout;
  }

  @JsonProperty
  public void setApiCallTimeout(String apiCallTimeout) {
    this.apiCallTimeout = apiCallTimeout;
  }

  @JsonProperty
  public String getApiCallAttemptTimeout() {
    return apiCallAttemptTimeout;
  }

  @JsonProperty
  public void setApiCallAttemptTimeout(String apiCallAttemptTimeout) {
    this.apiCallAttemptTimeout = apiCallAttemptTimeout;
  }

  @JsonProperty
  public String getRetryMode() {
    return retryMode;
  }

  @JsonProperty
  public void setRetryMode(String retryMode) {
    this.retryMode = retryMode;
  }

  @JsonProperty
  public int getMaxAttempts() {
    return maxAttempts;
  }

  @JsonProperty
  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  @JsonProperty
  public String getPollInterval() {
    return pollInterval;
  }

  @JsonProperty
  public void setPollInterval(String pollInterval) {
    this.pollInterval = pollInterval;
  }

  @JsonProperty
  public DatabaseFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DatabaseFactory database) {
    this.database = database;
  }

  @JsonProperty
  public TemporaryFactory getTemporary() {
    return temporary;
  }

  @JsonProperty
  public void setTemporary(TemporaryFactory temporary) {
    this.temporary = temporary;
  }

  @JsonProperty
  public DrPrimaryFactory getDrPrimary() {
    return drPrimary;
  }

  @JsonProperty
  public void setDrPrimary(DrPrimaryFactory drPrimary) {
    this.drPrimary = drPrimary;
  }
}
