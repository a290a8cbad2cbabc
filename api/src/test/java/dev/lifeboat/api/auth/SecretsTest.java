package dev.lifeboat.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.api.audit.Secrets;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void jsonFieldsNamedLikeSecrets_areMasked_atAnyDepth() {
    String redacted = Secrets.redact("{\"reason\": \"ok\", \"catalogPassword\": \"pw1\", \"nested\": "
        + "{\"apiToken\": \"t0k\", \"list\": [{\"client_secret\": \"cs\"}]}, \"password\": null}");

    assertThat(redacted).doesNotContain("pw1", "t0k", "\"cs\"").contains("\"reason\":\"ok\"", "\"password\":null");
  }

  @Test
  void connectionStringsAndTokensInText_areMasked() {
    String text = "url postgresql://app:s3cret@db:5432/x and host=db password='p w' user=a and jdbc:x?password=p2&ssl=1"
        + " Bearer abc.def and lbt_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdefg and "
        + "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    String redacted = Secrets.redact(text);

    assertThat(redacted).doesNotContain("s3cret", "'p w'", "p2", "abc.def", "lbt_AbCd", "eyJzdWIiOiJ4In0")
        .contains("postgresql://app:***@db:5432/x", "password=***", "ssl=1", "Bearer ***");
  }

  @Test
  void brokenJson_isMaskedAsText_fieldsAndUrls() {
    String redacted = Secrets.redact("{\"password\": \"s3cret\", \"apiToken\":\"t\\\"k\", postgresql://u:p@ss@h:5432/x,");

    assertThat(redacted).doesNotContain("s3cret", "t\\\"k", "p@ss").contains("\"password\": \"***\"",
        "postgresql://u:***@h:5432/x");
  }
}
