package dev.lifeboat.rds;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract test shares: one loopback WireMock server playing RDS for the class, its
 * stubs reset and a fresh {@link RdsPlatform} pointed at it for each test.
 */
abstract class RdsContractTestBase {
  static RdsStubs stubs;
  RdsPlatform platform;

  @BeforeAll
  static void startServer() {
    stubs = new RdsStubs();
  }

  @AfterAll
  static void stopServer() {
    stubs.close();
  }

  @BeforeEach
  void resetStubs() {
    stubs.server.resetAll();
    platform = stubs.platform();
  }

  @AfterEach
  void closePlatform() {
    platform.close();
  }

  /** Replaces the platform with one of other settings (retry, DR key, copy slots). */
  void usePlatform(RdsSettings settings) {
    platform.close();
    platform = new RdsPlatform(settings, RdsStubs.CLOCK);
  }
}
