package dev.lifeboat.fakerds;

import java.util.Optional;

/** ARNs of the fake's resources: {@code arn:aws:rds:<region>:<account>:<type>:<name>}. */
final class Arns {
  /** A parsed ARN. */
  record Arn(String service, String region, String account, String type, String name) {}

  private final String account;

  Arns(String account) {
    this.account = account;
  }

  String account() {
    return account;
  }

  String instance(String region, String id) {
    return rds(region, "db", id);
  }

  String snapshot(String region, String id) {
    return rds(region, "snapshot", id);
  }

  String subnetGroup(String region, String name) {
    return rds(region, "subgrp", name);
  }

  String automatedBackup(String region, String instanceId) {
    return rds(region, "auto-backup", "ab-" + instanceId);
  }

  private String rds(String region, String type, String name) {
    return "arn:aws:rds:" + region + ":" + account + ":" + type + ":" + name;
  }

  /** The parts of an ARN of the form {@code arn:aws:<service>:<region>:<account>:<type>:<name>}. */
  static Optional<Arn> parse(String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      return Optional.empty();
    }
    String[] p = arn.split(":", 7);
    if (p.length < 7) {
      return Optional.empty();
    }
    return Optional.of(new Arn(p[2], p[3], p[4], p[5], p[6]));
  }
}
