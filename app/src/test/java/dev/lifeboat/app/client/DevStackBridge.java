package dev.lifeboat.app.client;

import io.dropwizard.testing.DropwizardTestSupport;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * {@code DevStack.start(name)}, the dev stack every end-to-end test uses, reached from this
 * package: {@code DevStack} is package-private in {@code dev.lifeboat.app}. Only its start, its
 * API port and its close are used.
 */
final class DevStackBridge implements AutoCloseable {
  private final AutoCloseable stack;
  private final int port;

  private DevStackBridge(AutoCloseable stack, int port) {
    this.stack = stack;
    this.port = port;
  }

  static DevStackBridge start(String name) throws Exception {
    Class<?> type = Class.forName("dev.lifeboat.app.DevStack");
    Method start = type.getDeclaredMethod("start", String.class);
    start.setAccessible(true);
    AutoCloseable stack;
    try {
      stack = (AutoCloseable) start.invoke(null, name);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    Field support = type.getDeclaredField("support");
    support.setAccessible(true);
    return new DevStackBridge(stack, ((DropwizardTestSupport<?>) support.get(stack)).getLocalPort());
  }

  String apiUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    stack.close();
  }
}
