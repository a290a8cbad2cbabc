package dev.lifeboat.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log line of this JVM while open, as the appenders would write it: message, MDC and the
 * whole stack trace of an attached exception. Attach after Dropwizard configured logging (it
 * resets the appenders when it starts).
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger root;

  private CapturedLogs(Logger root) {
    this.root = root;
  }

  static CapturedLogs attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CapturedLogs logs = new CapturedLogs(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    logs.setContext(context);
    logs.setName("captured-for-test");
    logs.start();
    logs.root.addAppender(logs);
    return logs;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
        .append(' ').append(event.getMDCPropertyMap()).append(' ').append(event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append('\n').append(ThrowableProxyUtil.asString(thrown));
    }
    lines.add(line.toString());
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
