package dev.lifeboat.activities.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where exports live: objects under {@code /}-separated keys ({@code <runId>/...}), written once
 * as a stream of unknown length and read back as a stream. A local directory in dev; S3 (multipart
 * upload, ranged GETs) in production. An object is visible under its key only once complete:
 * a writer that fails or crashes leaves nothing a reader could mistake for an export.
 */
public interface ExportStore {
  /** The store's root, e.g. {@code file:///var/lib/lifeboat/exports} or {@code s3://bucket/prefix}: the manifest's {@code store}. */
  String uri();

  /**
   * Starts writing an object. Write to the upload, then {@link Upload#commit()}; closing it
   * without a commit discards what was written. An existing object of that key is replaced at
   * the commit.
   */
  Upload create(String key) throws IOException;

  /** @throws java.nio.file.NoSuchFileException when there is no object of that key */
  InputStream open(String key) throws IOException;

  /** Size of the object, empty when there is none. */
  OptionalLong size(String key) throws IOException;

  /** Keys under a prefix (e.g. {@code runId + "/"}), sorted. */
  List<String> list(String prefix) throws IOException;

  /** @return false when there was no such object */
  boolean delete(String key) throws IOException;

  /** Writes a small object (a manifest) in one go. */
  default void put(String key, byte[] bytes) throws IOException {
    try (Upload upload = create(key)) {
      upload.write(bytes);
      upload.commit();
    }
  }

  default String getString(String key) throws IOException {
    try (InputStream in = open(key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** An object being written: a stream that becomes the object at {@link #commit()}, and nothing if closed before. */
  abstract class Upload extends OutputStream {
    /** Makes the object durable and visible under its key; returns its size in bytes. */
    public abstract long commit() throws IOException;

    /** Discards the object unless it was committed. */
    @Override
    public abstract void close() throws IOException;
  }
}
