package dev.lifeboat.api.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a caller may do. Each role grants its own actions and reading; {@link #ADMIN} grants every
 * role's actions. Approving stays four-eyes whatever the role: nobody approves their own run.
 */
public enum AccessRole {
  /** Reads runs, snapshots, schedules, drills and instances. */
  VIEWER,
  /** Starts restores, table recoveries, snapshots and drills; releases and cancels their own runs. */
  OPERATOR,
  /** Approves and rejects what waits for approval, never their own request. */
  APPROVER,
  /** Schedules, retention, cancelling anyone's run, the audit log; and everything the others may. */
  ADMIN;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a caller holding this role may do what {@code required} guards. */
  public boolean grants(AccessRole required) {
    return this == required || this == ADMIN || required == VIEWER;
  }

  public static Optional<AccessRole> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(role -> role.wireName().equals(wanted)).findFirst();
  }

  /** For configuration: an unknown name is an error that lists the known ones. */
  @JsonCreator
  public static AccessRole parse(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException(
        "unknown role '" + name + "'; roles are " + names(EnumSet.allOf(AccessRole.class))));
  }

  public static String names(Set<AccessRole> roles) {
    return roles.stream().sorted().map(AccessRole::wireName).collect(Collectors.joining(", "));
  }
}
