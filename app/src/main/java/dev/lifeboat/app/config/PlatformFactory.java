package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.activities.local.LocalPlatform;
import dev.lifeboat.activities.local.LocalPlatformConfig;
import dev.lifeboat.rds.RdsPlatform;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code platform:} in the YAML: where managed instances live, {@code local} (PostgreSQL clusters
 * on this host) or {@code rds} (Amazon RDS, configured under {@code platform.rds}). With
 * {@code lifeboat dev}, {@code rds} serves the demo fleet through fake RDS on loopback.
 */
public class PlatformFactory {
  @NotBlank
  private String type = "local";
  @NotBlank
  private String dataRoot = ".lifeboat/platform";
  private String binDir;
  @NotBlank
  private String osUser = "postgres";
  @NotBlank
  private String region = "local-1";
  @NotNull
  private Duration archiveTimeout = Duration.ofSeconds(60);
  @NotNull
  private List<String> drRegions = new ArrayList<>();
  @Valid
  private RdsFactory rds;

  @JsonProperty
  public String getType() {
    return type;
  }

  @JsonProperty
  public void setType(String type) {
    this.type = type;
  }

  @JsonProperty
  public String getDataRoot() {
    return dataRoot;
  }

  @JsonProperty
  public void setDataRoot(String dataRoot) {
    this.dataRoot = dataRoot;
  }

  @JsonProperty
  public String getBinDir() {
    return binDir;
  }

  @JsonProperty
  public void setBinDir(String binDir) {
    this.binDir = binDir;
  }

  @JsonProperty
  public String getOsUser() {
    return osUser;
  }

  @JsonProperty
  public void setOsUser(String osUser) {
    this.osUser = osUser;
  }

  @JsonProperty
  public String getRegion() {
    return region;
  }

  @JsonProperty
  public void setRegion(String region) {
    this.region = region;
  }

  @JsonProperty
  public Duration getArchiveTimeout() {
    return archiveTimeout;
  }

  @JsonProperty
  public void setArchiveTimeout(Duration archiveTimeout) {
    this.archiveTimeout = archiveTimeout;
  }

  @JsonProperty
  public List<String> getDrRegions() {
    return drRegions;
  }

  @JsonProperty
  public void setDrRegions(List<String> drRegions) {
    this.drRegions = drRegions;
  }

  @JsonProperty
  public RdsFactory getRds() {
    return rds;
  }

  @JsonProperty
  public void setRds(RdsFactory rds) {
    this.rds = rds;
  }

  /** Whether instances live on Amazon RDS. */
  public boolean isRds() {
    if (!"local".equals(type) && !"rds".equals(type)) {
      throw new IllegalArgumentException("platform.type '" + type + "' is neither 'local' nor 'rds'");
    }
    return "rds".equals(type);
  }

  /** The local platform (for {@code lifeboat dev} on {@code rds}, the one fake RDS serves as RDS). */
  public LocalPlatform buildLocal(Clock clock) {
    Path bin = binDir == null || binDir.isBlank() ? null : Path.of(binDir);
    return new LocalPlatform(new LocalPlatformConfig(Path.of(dataRoot), bin, osUser, region, archiveTimeout, null,
        clock, drRegions));
  }

  /** The Amazon RDS platform of {@code platform.rds}. */
  public RdsPlatform buildRds(Clock clock) {
    if (rds == null) {
      throw new IllegalArgumentException("platform.type is rds but platform.rds is missing: see config/rds.yml");
    }
    return new RdsPlatform(rds.settings(), clock);
  }
}
