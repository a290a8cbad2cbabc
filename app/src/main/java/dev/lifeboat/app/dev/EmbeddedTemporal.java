package dev.lifeboat.app.dev;

import io.dropwizard.lifecycle.Managed;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java SDK's Temporal test server, bound to a port so the worker, the API, the Temporal CLI
 * and any SDK client talk gRPC to it as to a cluster. Time skipping is locked: timers (a TTL,
 * a daily schedule) take real time. It keeps its state in memory only.
 */
public final class EmbeddedTemporal implements Managed {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);

  private final int port;
  private TestServer.PortBoundTestServer server;

  public EmbeddedTemporal(int port) {
    this.port = port;
  }

  /** Starts now (not with the lifecycle): everything else connects to it while being wired. */
  public EmbeddedTemporal startNow() {
    if (!portFree(port)) {
      throw new IllegalStateException("port " + port + " is in use: another Temporal server or `lifeboat dev` "
          + "runs there. Stop it, or set TEMPORAL_PORT to a free port.");
    }
    server = TestServer.createPortBoundServer(port, true);
    log.info("embedded Temporal server listening on 127.0.0.1:{}", port);
    return this;
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
