package dev.lifeboat.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.app.LifeboatConfiguration;
import dev.lifeboat.app.config.FileOrResourceSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.logging.common.LoggingFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The built-in configuration's logging, configured for real and written to the console: text by
 * default, JSON lines carrying the run id with {@code LIFEBOAT_LOG_LAYOUT='{type: json, flattenMdc: true}'}.
 */
class JsonLogTest {
  private static final String RUN_ID = "restore-techcorp-primary-1a2b3c4d";

  /** lifeboat.yml as Dropwizard reads it, with these variables set on top of the environment. */
  private static LifeboatConfiguration builtIn(Map<String, String> variables) throws Exception {
    StringSubstitutor substitutor = new StringSubstitutor(
        name -> variables.containsKey(name) ? variables.get(name) : System.getenv(name));
    return new YamlConfigurationFactory<>(LifeboatConfiguration.class, Validators.newValidator(),
        Jackson.newObjectMapper(), "dw")
        .build(new SubstitutingSourceProvider(new FileOrResourceSourceProvider(), substitutor), "lifeboat.yml");
  }

  /** Configures logging as the application does, logs one line in a run, and returns what reached the console. */
  private static List<String> logOneLine(LifeboatConfiguration config) {
    LoggingFactory logging = config.getLoggingFactory();
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      logging.configure(new MetricRegistry(), "lifeboat");
      try (MDC.MDCCloseable ignored = MDC.putCloseable("runId", RUN_ID)) {
        LoggerFactory.getLogger("dev.lifeboat.activities.PlatformActivitiesImpl")
            .info("restoring {} to a temporary instance", "techcorp-primary");
      }
      // the appender is asynchronous: its thread must have written the line before the console is given back
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
          .until(() -> captured.toString(StandardCharsets.UTF_8).contains("restoring techcorp-primary"));
      logging.stop();
    } finally {
      System.setOut(console);
      logging.reset();
    }
    List<String> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("restoring techcorp-primary")) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void byDefault_aLineForPeople_withTheRunId() throws Exception {
    List<String> lines = logOneLine(builtIn(Map.of()));

    assertThat(lines).singleElement().satisfies(line -> assertThat(line)
        .matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  \\[" + RUN_ID + "] .*PlatformActivitiesImpl: "
            + "restoring techcorp-primary to a temporary instance"));
  }

  @Test
  void jsonLayout_oneObjectPerLine_withTheRunIdAsAField() throws Exception {
    List<String> lines = logOneLine(builtIn(Map.of("LIFEBOAT_LOG_LAYOUT", "{type: json, flattenMdc: true}")));

    assertThat(lines).hasSize(1);
    JsonNode event = new ObjectMapper().readTree(lines.get(0));
    assertThat(event.path("runId").asText()).isEqualTo(RUN_ID);
    assertThat(event.path("level").asText()).isEqualTo("INFO");
    assertThat(event.path("logger").asText()).isEqualTo("dev.lifeboat.activities.PlatformActivitiesImpl");
    assertThat(event.path("message").asText()).isEqualTo("restoring techcorp-primary to a temporary instance");
    assertThat(event.has("timestamp")).isTrue();
  }

  @Test
  void jsonLayout_withoutFlattening_keepsTheRunIdUnderMdc() throws Exception {
    List<String> lines = logOneLine(builtIn(Map.of("LIFEBOAT_LOG_LAYOUT", "{type: json}")));

    JsonNode event = new ObjectMapper().readTree(lines.get(0));
    assertThat(event.path("mdc").path("runId").asText()).isEqualTo(RUN_ID);
  }
}
