package dev.lifeboat.common.model;

/** Where a client connects: never carries a password. */
public record Endpoint(String host, int port, String database, String user) {
  /** A libpq connection URI without credentials, e.g. for psql. */
  public String uri() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }
}
