package dev.lifeboat.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** No Docker engine runs here: the compose file is checked by parsing it. */
class DockerComposeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode compose() throws IOException {
    return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
  }

  private static Set<String> variablesReadByConfiguration() throws IOException {
    try (InputStream in = DockerComposeTest.class.getResourceAsStream("/lifeboat.yml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Set<String> names = new HashSet<>();
      Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(yaml);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    }
  }

  @Test
  void everyImageIsPinnedToAVersion() throws IOException {
    for (Iterator<Map.Entry<String, JsonNode>> it = compose().get("services").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> service = it.next();
      String image = service.getValue().path("image").asText();
      assertThat(image).as("image of service %s", service.getKey()).matches("[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*");
    }
  }

  @Test
  void composeHasTheProductionLikeStack() throws IOException {
    assertThat(compose().get("services").fieldNames()).toIterable()
        .contains("postgresql", "temporal", "temporal-ui", "localstack", "lifeboat-api", "lifeboat-worker");
    assertThat(compose().at("/services/temporal/image").asText()).startsWith("temporalio/auto-setup:");
  }

  @Test
  void lifeboatServicesSetOnlyVariablesTheConfigurationReads() throws IOException {
    Set<String> known = variablesReadByConfiguration();
    for (String service : new String[] {"lifeboat-api", "lifeboat-worker"}) {
      JsonNode environment = compose().at("/services/" + service + "/environment");
      assertThat(environment.isObject()).isTrue();
      environment.fieldNames().forEachRemaining(name ->
          assertThat(known).as("%s sets %s", service, name).contains(name));
      assertThat(environment.path("TEMPORAL_ADDRESS").asText()).isEqualTo("temporal:7233");
      assertThat(environment.path("CATALOG_URL").asText()).contains("//postgresql:5432/");
    }
    assertThat(compose().at("/services/lifeboat-api/command/0").asText()).isEqualTo("server");
    assertThat(compose().at("/services/lifeboat-worker/command/0").asText()).isEqualTo("worker");
  }

  @Test
  void dockerfileShipsTheShadedJar() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile).contains("COPY app/target/lifeboat.jar").contains("ENTRYPOINT");
  }
}
