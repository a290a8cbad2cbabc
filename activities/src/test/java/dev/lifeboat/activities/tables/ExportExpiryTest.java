package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.common.model.ExportManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportExpiryTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  @TempDir
  Path dir;

  private void export(LocalExportStore store, String run, Instant expiresAt) throws Exception {
    store.put(run + "/tables/payments.refunds.pgcopy", "rows".getBytes(StandardCharsets.UTF_8));
    store.put(run + "/manifest.json", ExportJson.write(new ExportManifest(run, "techcorp-primary",
        NOW.minusSeconds(86_400 * 8), "lb-tbl-1", store.uri(), List.of(), NOW.minusSeconds(86_400 * 8), expiresAt)));
  }

  @Test
  void expire_deletesOnlyExportsPastTheirRetention_andLeavesOnesWithoutManifest() throws Exception {
    LocalExportStore store = new LocalExportStore(dir);
    export(store, "tables-old", NOW.minusSeconds(60));
    export(store, "tables-kept", NOW.plusSeconds(60));
    store.put("tables-exporting/tables/payments.refunds.pgcopy", new byte[] {1});

    List<String> expired = new ExportExpiry(store).expire(NOW);

    assertThat(expired).containsExactly("tables-old");
    assertThat(store.list("tables-old/")).isEmpty();
    assertThat(store.list("tables-kept/")).hasSize(2);
    assertThat(store.list("tables-exporting/")).hasSize(1);
    assertThat(new ExportExpiry(store).expire(NOW)).isEmpty();
  }
}
