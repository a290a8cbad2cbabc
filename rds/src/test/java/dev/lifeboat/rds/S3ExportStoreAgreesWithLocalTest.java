package dev.lifeboat.rds;

import dev.lifeboat.activities.tables.ExportStore;
import dev.lifeboat.activities.tables.LocalExportStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The S3 store's contract run against the local directory store: both answer the same. */
class S3ExportStoreAgreesWithLocalTest extends S3ExportStoreContract {
  @TempDir
  Path dir;

  @Override
  protected ExportStore store() {
    return new LocalExportStore(dir.resolve("exports"));
  }
}
