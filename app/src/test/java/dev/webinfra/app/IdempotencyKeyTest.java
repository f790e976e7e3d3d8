package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {
  @Test
  void aUuidABase64urlTokenAndLoadsKeysAreKeys() throws Rejected {
    assertThat(IdempotencyKey.parse("0b6f1c1e-7f7e-4c47-9d3a-2b8f4b1f7a10", null).value())
        .hasSize(36);
    assertThat(IdempotencyKey.parse(null, "Zq3_-x9AbC0dEf1gHi2jKl").value())
        .isEqualTo("Zq3_-x9AbC0dEf1gHi2jKl");
    assertThat(IdempotencyKey.parse("load-abc123-42", "load-abc123-42").value())
        .as("the same key in both places")
        .isEqualTo("load-abc123-42");
    assertThat(IdempotencyKey.parse("k".repeat(64), null).value()).hasSize(64);
  }

  @Test
  void noKeyIsNoKey() throws Rejected {
    assertThat(IdempotencyKey.parse(null, null)).isNull();
  }

  @Test
  void aBadKeyIs400SayingWhatAndWhere() {
    assertThatThrownBy(() -> IdempotencyKey.parse("k".repeat(65), null))
        .isInstanceOf(Rejected.class)
        .hasMessage("header Idempotency-Key is too long: at most 64 characters, was 65")
        .extracting(e -> ((Rejected) e).status())
        .isEqualTo(400);
    assertThatThrownBy(() -> IdempotencyKey.parse(null, "a/b"))
        .hasMessage(
            "query parameter idempotency_key is malformed: it must be 1 to 64 characters of A-Z"
                + " a-z 0-9 - _, was 'a/b'");
    assertThatThrownBy(() -> IdempotencyKey.parse("", null))
        .as("empty")
        .hasMessageContaining("is malformed");
    assertThatThrownBy(() -> IdempotencyKey.parse("a\nb", null))
        .as("control characters are shown escaped")
        .hasMessageContaining("was 'a\\x0ab'");
    assertThatThrownBy(() -> IdempotencyKey.parse("é", null)).hasMessageContaining("malformed");
    assertThatThrownBy(() -> IdempotencyKey.parse("one", "two"))
        .hasMessageContaining("name different keys");
  }

  @Test
  void theLoadBalancersKeyServesOnlyAWriteWhoseClientSentNone() throws Rejected {
    String uuid = "6f1c1e0b-7f7e-4c47-9d3a-2b8f4b1f7a10";
    assertThat(IdempotencyKey.parse(null, null, uuid).value()).isEqualTo(uuid);
    assertThat(IdempotencyKey.parse("client-1", null, uuid).value()).isEqualTo("client-1");
    assertThat(IdempotencyKey.parse(null, "form-1", uuid).value()).isEqualTo("form-1");
    assertThat(IdempotencyKey.parse(null, null, null)).isNull();
    assertThatThrownBy(() -> IdempotencyKey.parse(null, null, "a b"))
        .hasMessageContaining("header X-Load-Balancer-Key is malformed")
        .extracting(e -> ((Rejected) e).status())
        .isEqualTo(400);
  }

  @Test
  void eachRenderingOfTheFormGetsAFreshKey() throws Rejected {
    String a = Page.newKey();
    assertThat(a).isNotEqualTo(Page.newKey());
    assertThat(IdempotencyKey.parse(null, a).value()).as("a valid key").hasSize(22);
  }
}
