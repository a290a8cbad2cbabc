package dev.lifeboat.activities.pooler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabasesFileTest {
  private static final String TEXT = """
      ;; comment
      # another
      %include /etc/pgbouncer/more.ini

      techcorp = host=db-1.example.com port=5432 dbname=techcorp user=app password='it''s secret' pool_size=20
      "odd name" = host=10.0.0.1 dbname=x
      reporting=host=db-2.example.com
      * = host=fallback.example.com
      not an entry
      """;

  @Test
  void parse_findsEntriesWithTheirOptions_andKeepsEveryLineAsWritten() {
    DatabasesFile file = DatabasesFile.parse(TEXT);

    assertThat(file.text()).isEqualTo(TEXT);
    assertThat(file.entries()).extracting(DatabasesFile.Entry::name)
        .containsExactly("techcorp", "odd name", "reporting", "*");
    DatabasesFile.Entry techcorp = file.entry("techcorp").orElseThrow();
    assertThat(techcorp.host()).isEqualTo("db-1.example.com");
    assertThat(techcorp.port()).isEqualTo(5432);
    assertThat(techcorp.dbname()).isEqualTo("techcorp");
    assertThat(techcorp.option("password")).contains("it's secret");
    DatabasesFile.Entry reporting = file.entry("reporting").orElseThrow();
    assertThat(reporting.port()).as("PgBouncer's default").isEqualTo(5432);
    assertThat(reporting.dbname()).as("the entry's name").isEqualTo("reporting");
  }

  @Test
  void with_rewritesOnlyThatEntry_inItsPlace_keepingItsOtherOptions() {
    DatabasesFile file = DatabasesFile.parse(TEXT);
    DatabasesFile.Entry moved = file.entry("techcorp").orElseThrow().withServer("db-3.example.com", 5433, "techcorp");

    DatabasesFile next = file.with(moved);

    assertThat(next.text()).isEqualTo(TEXT.replace("host=db-1.example.com port=5432",
        "host=db-3.example.com port=5433"));
    DatabasesFile.Entry reporting = next.entry("reporting").orElseThrow().withServer("db-4", 6000, "reporting");
    assertThat(next.with(reporting).text()).contains("reporting = host=db-4 port=6000 dbname=reporting\n");
  }

  @Test
  void with_aNewName_appends_andWithout_removesOnlyThatLine() {
    DatabasesFile file = DatabasesFile.parse(TEXT);
    DatabasesFile.Entry copy = file.entry("techcorp").orElseThrow().as("techcorp_drill_abcd1234");

    DatabasesFile added = file.with(copy);

    assertThat(added.text()).isEqualTo(TEXT + "techcorp_drill_abcd1234 = host=db-1.example.com port=5432"
        + " dbname=techcorp user=app password='it''s secret' pool_size=20\n");
    assertThat(added.without("techcorp_drill_abcd1234").text()).isEqualTo(TEXT);
  }
}
