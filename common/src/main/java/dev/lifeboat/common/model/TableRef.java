package dev.lifeboat.common.model;

import java.util.Objects;

/**
 * A table by schema and name, exactly as stored in {@code pg_catalog} (case preserved, never
 * quoted). Turning one into SQL is the job of the code that talks to PostgreSQL, with the
 * driver's quoting rules; see {@link dev.lifeboat.common.TableNames} for parsing user input.
 */
public record TableRef(String schema, String name) {
  public TableRef {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(name, "name");
  }

  /** {@code schema.name}, for people and map keys; quoted parts where a reader would misparse it. */
  public String display() {
    return dev.lifeboat.common.TableNames.display(this);
  }

  @Override
  public String toString() {
    return display();
  }
}
