package dev.lifeboat.api.views;

import dev.lifeboat.common.model.Endpoint;

/** Where to connect; never a password. {@code uri} is ready for psql. */
public record EndpointView(String host, int port, String database, String user, String uri) {
  public static EndpointView of(Endpoint endpoint) {
    return endpoint == null ? null
        : new EndpointView(endpoint.host(), endpoint.port(), endpoint.database(), endpoint.user(), endpoint.uri());
  }
}
