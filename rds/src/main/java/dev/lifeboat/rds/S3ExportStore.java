package dev.lifeboat.rds;

import dev.lifeboat.activities.tables.ExportStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * An {@link ExportStore} on S3: key {@code a/b/c} is object {@code <prefix>/a/b/c} of the bucket.
 *
 * <p>An object is written as a stream of unknown length. Up to one part is buffered in memory;
 * the first full part starts a multipart upload and each further one is sent as it fills, so an
 * export of any size holds about one part in memory. The commit completes the upload (an object
 * smaller than a part is sent with a single PutObject instead); only then does the object exist
 * under its key. An upload closed without a commit is aborted: S3 shows nothing, and the parts
 * sent so far are freed. A worker that dies mid-upload cannot abort, so the bucket should carry a
 * lifecycle rule {@code AbortIncompleteMultipartUpload} (a day is plenty) for those leftovers.
 *
 * <p>Every PutObject and CreateMultipartUpload asks for server-side encryption: SSE-KMS with the
 * configured key, else SSE-S3 (AES256). Keys follow the same rules as {@code LocalExportStore}
 * (no leading {@code /}, no empty or dot-led segments) so that an export is portable between both.
 */
public final class S3ExportStore implements ExportStore {
  /**
   * Part size of production uploads: 8 MiB. It doubles every {@value #PARTS_PER_SIZE} parts, so the
   * 10,000 parts S3 allows hold about 290 GiB, and only an export past 58 GiB buffers more than 16 MiB.
   */
  public static final int DEFAULT_PART_SIZE = 8 << 20;
  /** S3's smallest part (every part but the last). */
  public static final int MIN_PART_SIZE = 5 << 20;
  /** S3 accepts part numbers 1 to 10,000. */
  static final int MAX_PARTS = 10_000;
  /** Every this many parts the part size doubles, so an upload never runs out of part numbers. */
  static final int PARTS_PER_SIZE = 2_500;
  private static final int FIRST_BUFFER = 64 << 10;
  private static final Logger log = LoggerFactory.getLogger(S3ExportStore.class);

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String sseKmsKeyId;
  private final int partSize;

  /**
   * @param prefix key prefix of every object, without leading or trailing {@code /}; empty or null: the bucket's root
   * @param sseKmsKeyId the KMS key (id, ARN or alias) objects are encrypted with; null: SSE-S3 (AES256)
   */
  public S3ExportStore(S3Client s3, String bucket, String prefix, String sseKmsKeyId) {
    this(s3, bucket, prefix, sseKmsKeyId, DEFAULT_PART_SIZE);
  }

  /** @param partSize bytes buffered per part, at least {@link #MIN_PART_SIZE} */
  public S3ExportStore(S3Client s3, String bucket, String prefix, String sseKmsKeyId, int partSize) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("S3 export store: bucket is required");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("S3 export store: part size " + partSize + " is below S3's minimum "
          + MIN_PART_SIZE);
    }
    this.bucket = bucket;
    this.prefix = normalizePrefix(prefix);
    this.sseKmsKeyId = sseKmsKeyId == null || sseKmsKeyId.isBlank() ? null : sseKmsKeyId;
    this.partSize = partSize;
  }

  @Override
  public String uri() {
    return prefix.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + prefix;
  }

  @Override
  public Upload create(String key) {
    return new S3Upload(objectKey(key));
  }

  @Override
  public InputStream open(String key) throws IOException {
    String object = objectKey(key);
    try {
      return s3.getObject(b -> b.bucket(bucket).key(object));
    } catch (NoSuchKeyException e) {
      throw noSuchFile(key);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw noSuchFile(key);
      }
      throw failed("GetObject", object, e);
    } catch (SdkException e) {
      throw failed("GetObject", object, e);
    }
  }

  @Override
  public OptionalLong size(String key) throws IOException {
    String object = objectKey(key);
    try {
      return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(object)).contentLength());
    } catch (NoSuchKeyException e) {
      return OptionalLong.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return OptionalLong.empty();
      }
      throw failed("HeadObject", object, e);
    } catch (SdkException e) {
      throw failed("HeadObject", object, e);
    }
  }

  @Override
  public List<String> list(String keyPrefix) throws IOException {
    String base = prefix.isEmpty() ? "" : prefix + "/";
    String listed = base + (keyPrefix == null ? "" : keyPrefix);
    List<String> keys = new ArrayList<>();
    try {
      for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(listed))) {
        for (S3Object object : page.contents()) {
          keys.add(object.key().substring(base.length()));
        }
      }
    } catch (SdkException e) {
      throw failed("ListObjectsV2", listed, e);
    }
    keys.sort(null);
    return keys;
  }

  /**
   * S3's DeleteObject answers the same whether or not the object existed, so a HeadObject first
   * tells which; two deletes racing may both answer true.
   */
  @Override
  public boolean delete(String key) throws IOException {
    if (size(key).isEmpty()) {
      return false;
    }
    String object = objectKey(key);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(object));
      return true;
    } catch (SdkException e) {
      throw failed("DeleteObject", object, e);
    }
  }

  /** The object key of an export key; refuses keys the local store would refuse too. */
  String objectKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid export key '" + key + "'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        throw new IllegalArgumentException("invalid export key '" + key + "'");
      }
    }
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  private static String normalizePrefix(String prefix) {
    String p = prefix == null ? "" : prefix.strip();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private NoSuchFileException noSuchFile(String key) {
    return new NoSuchFileException(uri() + "/" + key);
  }

  private IOException failed(String action, String object, SdkException e) {
    return new IOException("S3 " + action + " of s3://" + bucket + "/" + object + " failed: " + e.getMessage(), e);
  }

  private PutObjectRequest.Builder encrypted(PutObjectRequest.Builder b) {
    return sseKmsKeyId == null ? b.serverSideEncryption(ServerSideEncryption.AES256)
        : b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(sseKmsKeyId);
  }

  private CreateMultipartUploadRequest.Builder encrypted(CreateMultipartUploadRequest.Builder b) {
    return sseKmsKeyId == null ? b.serverSideEncryption(ServerSideEncryption.AES256)
        : b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(sseKmsKeyId);
  }

  /** Part size of part {@code number} (1-based): doubles every {@value #PARTS_PER_SIZE} parts. */
  static long partSize(int base, int number) {
    return (long) base << Math.min(10, (number - 1) / PARTS_PER_SIZE);
  }

  /** One object being written. Not thread-safe, like any OutputStream. */
  private final class S3Upload extends Upload {
    private final String object;
    private final List<CompletedPart> parts = new ArrayList<>();
    // grows to the part size: a small object (a manifest) never holds a whole part's buffer
    private byte[] buffer = new byte[0];
    private int filled;
    private long size;
    private String uploadId;
    private boolean done;

    S3Upload(String object) {
      this.object = object;
    }

    private int currentPartSize() {
      return (int) Math.min(Integer.MAX_VALUE - 8, partSize(partSize, parts.size() + 1));
    }

    @Override
    public void write(int b) throws IOException {
      if (!done && filled < buffer.length) {
        buffer[filled++] = (byte) b;
        size++;
        return;
      }
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (done) {
        throw new IOException("upload of s3://" + bucket + "/" + object + " is closed");
      }
      while (len > 0) {
        int part = currentPartSize();
        if (filled == part) {
          // a full part is sent only once more bytes arrive: the last part is never empty
          sendPart();
          part = currentPartSize();
        }
        ensureCapacity(Math.min(part, filled + len));
        int n = Math.min(len, part - filled);
        System.arraycopy(b, off, buffer, filled, n);
        filled += n;
        off += n;
        len -= n;
        size += n;
      }
    }

    private void ensureCapacity(int needed) {
      if (buffer.length >= needed) {
        return;
      }
      int capacity = Math.max(buffer.length, FIRST_BUFFER);
      while (capacity < needed) {
        capacity = (int) Math.min((long) capacity * 2, currentPartSize());
      }
      buffer = Arrays.copyOf(buffer, capacity);
    }

    private RequestBody body() {
      byte[] bytes = buffer;
      int length = filled;
      // re-readable without copying the part: a retried attempt reads it again
      return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
          "application/octet-stream");
    }

    private void sendPart() throws IOException {
      int number = parts.size() + 1;
      if (number > MAX_PARTS) {
        throw new IOException("export s3://" + bucket + "/" + object + " needs more than " + MAX_PARTS + " parts");
      }
      try {
        if (uploadId == null) {
          uploadId = s3.createMultipartUpload(b -> encrypted(b.bucket(bucket).key(object)
              .contentType("application/octet-stream"))).uploadId();
        }
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(object).uploadId(uploadId).partNumber(number)
            .contentLength((long) filled), body()).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      } catch (SdkException e) {
        throw failed(uploadId == null ? "CreateMultipartUpload" : "UploadPart " + number, object, e);
      }
      filled = 0;
    }

    @Override
    public long commit() throws IOException {
      if (done) {
        throw new IOException("upload of s3://" + bucket + "/" + object + " is closed");
      }
      try {
        if (uploadId == null) {
          s3.putObject(b -> encrypted(b.bucket(bucket).key(object).contentType("application/octet-stream")
              .contentLength((long) filled)), body());
        } else {
          if (filled > 0) {
            sendPart();
          }
          s3.completeMultipartUpload(b -> b.bucket(bucket).key(object).uploadId(uploadId)
              .multipartUpload(m -> m.parts(parts)));
        }
      } catch (SdkException e) {
        throw failed(uploadId == null ? "PutObject" : "CompleteMultipartUpload", object, e);
      }
      done = true;
      buffer = null;
      return size;
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      buffer = null;
      if (uploadId == null) {
        return;
      }
      try {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(object).uploadId(uploadId));
      } catch (SdkException e) {
        // the bucket's AbortIncompleteMultipartUpload lifecycle rule frees it later; nothing is visible meanwhile
        log.warn("Cannot abort upload {} of s3://{}/{}: {}", uploadId, bucket, object, e.getMessage());
      }
    }
  }
}
