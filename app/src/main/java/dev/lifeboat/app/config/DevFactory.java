package dev.lifeboat.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Settings of {@code lifeboat dev}: the embedded Temporal server and the demo fleet. */
public class DevFactory {
  @NotBlank
  private String home = ".lifeboat";
  @Min(1)
  @Max(65535)
  private int temporalPort = 7233;
  /** A few small transactions a second on the demo primary, so there is always something to recover. */
  private boolean writeLoad = true;
  /** False: {@code lifeboat dev} runs no worker; a separate {@code lifeboat worker} polls its Temporal. */
  private boolean worker = true;
  /** With {@code platform.type: rds}: the port fake RDS serves the demo fleet on (0: any free port). */
  @Min(0)
  @Max(65535)
  private int fakeRdsPort = 0;

  @JsonProperty
  public int getFakeRdsPort() {
    return fakeRdsPort;
  }

  @JsonProperty
  public void setFakeRdsPort(int fakeRdsPort) {
    this.fakeRdsPort = fakeRdsPort;
  }

  @JsonProperty
  public String getHome() {
    return home;
  }

  @JsonProperty
  public void setHome(String home) {
    this.home = home;
  }

  @JsonProperty
  public int getTemporalPort() {
    return temporalPort;
  }

  @JsonProperty
  public void setTemporalPort(int temporalPort) {
    this.temporalPort = temporalPort;
  }

  @JsonProperty
  public boolean isWriteLoad() {
    return writeLoad;
  }

  @JsonProperty
  public void setWriteLoad(boolean writeLoad) {
    this.writeLoad = writeLoad;
  }

  @JsonProperty
  public boolean isWorker() {
    return worker;
  }

  @JsonProperty
  public void setWorker(boolean worker) {
    this.worker = worker;
  }
}
