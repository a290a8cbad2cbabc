package dev.lifeboat.activities.tables;

import dev.lifeboat.common.model.ExportManifest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes exports past their retention: every object of a run whose manifest's {@code expiresAt}
 * has passed. An export without a manifest (its run failed while exporting) is left alone: its
 * age is unknown, and the objects of a run still exporting look the same.
 */
public final class ExportExpiry {
  private static final Logger log = LoggerFactory.getLogger(ExportExpiry.class);

  private final ExportStore store;

  public ExportExpiry(ExportStore store) {
    this.store = store;
  }

  /** @return the ids of the exports deleted */
  public List<String> expire(Instant now) throws IOException {
    Set<String> runs = new LinkedHashSet<>();
    for (String key : store.list("")) {
      int slash = key.indexOf('/');
      if (slash > 0) {
        runs.add(key.substring(0, slash));
      }
    }
    List<String> expired = new ArrayList<>();
    for (String run : runs) {
      String manifestKey = run + "/manifest.json";
      if (store.size(manifestKey).isEmpty()) {
        continue;
      }
      ExportManifest manifest = ExportJson.read(store.getString(manifestKey), ExportManifest.class);
      if (manifest.expiresAt() != null && manifest.expiresAt().isBefore(now)) {
        // the manifest goes last, so an interrupted deletion is found and finished next time
        for (String key : store.list(run + "/")) {
          if (!key.equals(manifestKey)) {
            store.delete(key);
          }
        }
        store.delete(manifestKey);
        log.info("deleted export {} (expired at {})", run, manifest.expiresAt());
        expired.add(run);
      }
    }
    return expired;
  }
}
