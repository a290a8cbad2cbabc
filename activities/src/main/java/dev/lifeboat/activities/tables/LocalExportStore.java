package dev.lifeboat.activities.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * An {@link ExportStore} in a local directory: key {@code a/b/c} is file {@code <root>/a/b/c}.
 * An object is written to a hidden temporary file beside it, fsynced, renamed into place
 * atomically, and its directory fsynced: a reader or a crash sees the whole object or none.
 *
 * <p>Large objects are flushed to disk in the background while they are written (every
 * {@value #FLUSH_EVERY_MB} MB), so the fsync at the commit finds little left to write instead of
 * the whole export sitting dirty in the page cache.
 */
public final class LocalExportStore implements ExportStore {
  static final int FLUSH_EVERY_MB = 64;
  private static final int BUFFER = 1 << 20;
  private static final ExecutorService FLUSHER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "export-store-flush");
    t.setDaemon(true);
    return t;
  });

  private final Path root;

  public LocalExportStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create export directory " + this.root, e);
    }
  }

  public Path root() {
    return root;
  }

  @Override
  public String uri() {
    String uri = root.toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  @Override
  public Upload create(String key) throws IOException {
    Path target = resolve(key);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
    return new FileUpload(target, tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  @Override
  public InputStream open(String key) throws IOException {
    return Files.newInputStream(resolve(key));
  }

  @Override
  public OptionalLong size(String key) throws IOException {
    Path file = resolve(key);
    try {
      return OptionalLong.of(Files.size(file));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .map(p -> root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
          .filter(k -> k.startsWith(prefix))
          .sorted()
          .forEach(keys::add);
    }
    return keys;
  }

  @Override
  public boolean delete(String key) throws IOException {
    return Files.deleteIfExists(resolve(key));
  }

  /** The file of a key; refuses keys that would leave the root or name hidden files. */
  Path resolve(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid export key '" + key + "'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        throw new IllegalArgumentException("invalid export key '" + key + "'");
      }
    }
    Path file = root.resolve(key).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalArgumentException("invalid export key '" + key + "'");
    }
    return file;
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static final class FileUpload extends Upload {
    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    // direct: a heap buffer would be copied into a direct one by every channel write
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private long size;
    private long unflushed;
    private Future<?> flushing;
    private boolean done;

    FileUpload(Path target, Path tmp, FileChannel channel) {
      this.target = target;
      this.tmp = tmp;
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      if (done) {
        throw new IOException("upload of " + target + " is closed");
      }
      if (!buffer.hasRemaining()) {
        drain();
      }
      buffer.put((byte) b);
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (done) {
        throw new IOException("upload of " + target + " is closed");
      }
      while (len > 0) {
        if (!buffer.hasRemaining()) {
          drain();
        }
        int n = Math.min(len, buffer.remaining());
        buffer.put(b, off, n);
        off += n;
        len -= n;
        size += n;
      }
    }

    @Override
    public void flush() throws IOException {
      drain();
    }

    private void drain() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        unflushed += channel.write(buffer);
      }
      buffer.clear();
      if (unflushed >= (long) FLUSH_EVERY_MB << 20 && (flushing == null || flushing.isDone())) {
        unflushed = 0;
        flushing = FLUSHER.submit(() -> {
          channel.force(false);
          return null;
        });
      }
    }

    @Override
    public long commit() throws IOException {
      if (done) {
        throw new IOException("upload of " + target + " is closed");
      }
      drain();
      awaitFlush();
      channel.force(true);
      channel.close();
      done = true;
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(target.getParent());
      return size;
    }

    private void awaitFlush() throws IOException {
      if (flushing == null) {
        return;
      }
      try {
        flushing.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while flushing " + tmp, e);
      }
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      try {
        if (flushing != null) {
          flushing.cancel(false);
        }
        channel.close();
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
