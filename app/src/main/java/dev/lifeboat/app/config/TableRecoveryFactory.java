package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lifeboat.activities.tables.ExportStore;
import dev.lifeboat.activities.tables.LocalExportStore;
import dev.lifeboat.api.DurationText;
import dev.lifeboat.api.tables.TableRecoverySettings;
import dev.lifeboat.common.platform.Platform;
import dev.lifeboat.rds.RdsPlatform;
import dev.lifeboat.rds.RdsSettings;
import dev.lifeboat.rds.S3ExportStore;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tableRecovery:} in the YAML: where exports go, which replica comparisons read, and how
 * long a run waits for an approver. Durations take ISO-8601 ({@code PT24H}) or short ({@code 24h}).
 */
public class TableRecoveryFactory {
  /** Source instance -> the replica whose current rows a comparison reads (the analytics replica). */
  private Map<String, String> compareOn = new LinkedHashMap<>();
  @NotBlank
  private String approvalTimeout = "24h";
  @NotBlank
  private String maxApprovalTimeout = "7d";
  @NotBlank
  private String exportRetention = "7d";
  @Min(1)
  @Max(100)
  private int maxTables = 20;
  /** {@code local} (a directory, {@code exportDir}) or {@code s3} (the home region's {@code platform.rds.regions[0].exports}). */
  @NotBlank
  private String exportStore = "local";
  /** Local export store: a directory. */
  @NotBlank
  private String exportDir = ".lifeboat/exports";

  public TableRecoverySettings settings() {
    Duration timeout = duration("approvalTimeout", approvalTimeout);
    Duration max = duration("maxApprovalTimeout", maxApprovalTimeout);
    if (timeout.compareTo(max) > 0) {
      throw new IllegalArgumentException("tableRecovery.approvalTimeout " + timeout
          + " is longer than tableRecovery.maxApprovalTimeout " + max);
    }
    return new TableRecoverySettings(compareOn, timeout, max, duration("exportRetention", exportRetention), maxTables);
  }

  /** Where table exports go: a local directory, or S3 in the RDS platform's home region. */
  public ExportStore exportStore(Platform platform) {
    if ("local".equals(exportStore)) {
      return new LocalExportStore(exportDirectory());
    }
    if (!"s3".equals(exportStore)) {
      throw new IllegalArgumentException("tableRecovery.exportStore '" + exportStore + "' is neither local nor s3");
    }
    if (!(platform instanceof RdsPlatform rds)) {
      throw new IllegalArgumentException("tableRecovery.exportStore s3 needs platform.type rds (its regions' credentials"
          + " and exports settings)");
    }
    RdsSettings.Region home = rds.clients().settings().home();
    RdsSettings.S3Exports exports = home.exports();
    if (exports == null) {
      throw new IllegalArgumentException("tableRecovery.exportStore is s3 but platform.rds.regions[0] (" + home.name()
          + ") has no exports: set exports.bucket");
    }
    return new S3ExportStore(rds.clients().s3(home.name()), exports.bucket(), exports.prefix(), exports.sseKmsKeyId());
  }

  @JsonProperty
  public String getExportStore() {
    return exportStore;
  }

  @JsonProperty
  public void setExportStore(String exportStore) {
    this.exportStore = exportStore;
  }

  public Path exportDirectory() {
    return Path.of(exportDir).toAbsolutePath();
  }

  private static Duration duration(String key, String text) {
    Duration d = DurationText.parse(text).orElseThrow(() -> new IllegalArgumentException(
        "tableRecovery." + key + " '" + text + "' is not " + DurationText.EXPECTED));
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("tableRecovery." + key + " must be more than zero, got " + text);
    }
    return d;
  }

  @JsonProperty
  public Map<String, String> getCompareOn() {
    return compareOn;
  }

  @JsonProperty
  public void setCompareOn(Map<String, String> compareOn) {
    this.compareOn = compareOn == null ? new LinkedHashMap<>() : compareOn;
  }

  @JsonProperty
  public String getApprovalTimeout() {
    return approvalTimeout;
  }

  @JsonProperty
  public void setApprovalTimeout(String approvalTimeout) {
    this.approvalTimeout = approvalTimeout;
  }

  @JsonProperty
  public String getMaxApprovalTimeout() {
    return maxApprovalTimeout;
  }

  @JsonProperty
  public void setMaxApprovalTimeout(String maxApprovalTimeout) {
    this.maxApprovalTimeout = maxApprovalTimeout;
  }

  @JsonProperty
  public String getExportRetention() {
    return exportRetention;
  }

  @JsonProperty
  public void setExportRetention(String exportRetention) {
    this.exportRetention = exportRetention;
  }

  @JsonProperty
  public int getMaxTables() {
    return maxTables;
  }

  @JsonProperty
  public void setMaxTables(int maxTables) {
    this.maxTables = maxTables;
  }

  @JsonProperty
  public String getExportDir() {
    return exportDir;
  }

  @JsonProperty
  public void setExportDir(String exportDir) {
    this.exportDir = exportDir;
  }
}
