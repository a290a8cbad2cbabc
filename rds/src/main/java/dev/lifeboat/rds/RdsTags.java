package dev.lifeboat.rds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The tags Lifeboat puts on what it creates. {@code lifeboat:temporary=true} is what makes an
 * instance deletable, in code and in the IAM policy's tag condition, so its spelling never changes.
 */
final class RdsTags {
  /** On every snapshot Lifeboat takes (and, through CopyTags, on its copies). */
  static final String MANAGED = "lifeboat:managed";
  /** On every temporary instance; nothing without it is ever deleted. */
  static final String TEMPORARY = "lifeboat:temporary";
  static final String RUN = "lifeboat:run";
  /** ISO-8601 instant after which the reaper deletes the instance. */
  static final String EXPIRES_AT = "lifeboat:expires-at";
  static final String REQUESTER = "lifeboat:requester";
  /** The managed instance a temporary instance was restored from. */
  static final String SOURCE = "lifeboat:source";
  static final String TRUE = "true";

  private RdsTags() {}

  static List<Tag> toTags(Map<String, String> tags) {
    List<Tag> list = new ArrayList<>();
    tags.forEach((k, v) -> {
      if (k != null && v != null) {
        list.add(Tag.builder().key(k).value(v).build());
      }
    });
    return list;
  }

  /**
   * What every temporary instance carries: deletable ({@link #TEMPORARY}), owned by {@code runId},
   * reaped after {@code expiresAt} (none when null), and the managed instance whose data it holds.
   */
  static Map<String, String> temporary(String runId, Instant expiresAt, String requester, String source) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(TEMPORARY, TRUE);
    tags.put(RUN, runId);
    if (expiresAt != null) {
      tags.put(EXPIRES_AT, expiresAt.toString());
    }
    tags.put(REQUESTER, requester);
    tags.put(SOURCE, source);
    return tags;
  }

  static Map<String, String> toMap(List<Tag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    if (tags != null) {
      for (Tag t : tags) {
        if (t.key() != null) {
          map.put(t.key(), t.value() == null ? "" : t.value());
        }
      }
    }
    return map;
  }

  static boolean isTemporary(Map<String, String> tags) {
    return TRUE.equalsIgnoreCase(tags.get(TEMPORARY));
  }
}
