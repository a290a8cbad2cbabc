package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Settings of {@code lifeboat worker}, which serves only health checks and metrics on its own port. */
public class WorkerSettings {
  @Min(0)
  @Max(65535)
  private int port = 8081;

  @JsonProperty
  public int getPort() {
    return port;
  }

  @JsonProperty
  public void setPort(int port) {
    this.port = port;
  }
}
