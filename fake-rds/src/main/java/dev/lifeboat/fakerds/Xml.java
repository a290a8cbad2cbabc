package dev.lifeboat.fakerds;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** A small streaming XML writer: elements, escaped text, ISO-8601 UTC timestamps; null leaves are skipped. */
final class Xml {
  private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  private final Deque<String> open = new ArrayDeque<>();

  Xml start(String name, String namespace) {
    out.append('<').append(name).append(" xmlns=\"").append(escape(namespace)).append("\">");
    open.push(name);
    return this;
  }

  Xml start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  Xml end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  Xml leaf(String name, Object value) {
    if (value == null) {
      return this;
    }
    String text = value instanceof Instant i ? timestamp(i) : String.valueOf(value);
    out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
    return this;
  }

  Xml empty(String name) {
    out.append('<').append(name).append("/>");
    return this;
  }

  /** {@code <TagList><Tag><Key/><Value/></Tag>...</TagList>}. */
  Xml tags(String listName, Map<String, String> tags) {
    start(listName);
    tags.forEach((k, v) -> start("Tag").leaf("Key", k).leaf("Value", v).end());
    return end();
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements " + open);
    }
    return out.toString();
  }

  /** Milliseconds, UTC, e.g. {@code 2026-11-30T03:00:00.125Z}. */
  static String timestamp(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
