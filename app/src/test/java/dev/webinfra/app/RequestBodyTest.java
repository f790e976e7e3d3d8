package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  @Test
  void decodesUtf8AndRefusesAnythingElse() throws Exception {
    assertThat(RequestBody.utf8("héllo".getBytes(StandardCharsets.UTF_8), "body"))
        .as("valid UTF-8")
        .isEqualTo("héllo");
    assertThatThrownBy(() -> RequestBody.utf8(new byte[] {'a', (byte) 0xC3}, "body"))
        .as("truncated sequence")
        .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("body is not valid UTF-8")
        .hasCauseInstanceOf(CharacterCodingException.class);
    assertThatThrownBy(() -> RequestBody.utf8("é".getBytes(StandardCharsets.ISO_8859_1), "body"))
        .as("Latin-1")
        .hasMessage("body is not valid UTF-8");
  }

  @Test
  void theLimitIs16KiB() {
    assertThat(RequestBody.MAX_BYTES).as("bytes").isEqualTo(16 * 1024);
  }
}
