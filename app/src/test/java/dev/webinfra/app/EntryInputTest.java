package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntryInputTest {
  @Test
  void acceptsJsonAndForms() throws Exception {
    assertThat(EntryInput.parse("application/json", "{\"author\":\"ann\",\"message\":\"hi\"}")).isEqualTo(new EntryInput("ann", "hi"));
    assertThat(EntryInput.parse("application/x-www-form-urlencoded; charset=UTF-8", "author=a%C3%A9&message=hello+there"))
        .isEqualTo(new EntryInput("aé", "hello there"));
  }

  @Test
  void refusesGarbageWithAReasonAndA4xxStatus() {
    assertThatThrownBy(() -> EntryInput.parse("application/json", "{not json"))
        .isInstanceOfSatisfying(EntryInput.Rejected.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("body is not valid JSON");
    assertThatThrownBy(() -> EntryInput.parse("application/json", "[1,2]")).hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> EntryInput.parse("application/json", "{\"author\":5,\"message\":\"x\"}"))
        .hasMessage("field author must be a string");
    assertThatThrownBy(() -> EntryInput.parse("text/plain", "hi"))
        .isInstanceOfSatisfying(EntryInput.Rejected.class, e -> assertThat(e.status()).isEqualTo(415));
    assertThatThrownBy(() -> EntryInput.parse("application/x-www-form-urlencoded", "author=%zz&message=x"))
        .hasMessageStartingWith("form body is not valid URL encoding");
  }

  @Test
  void enforcesTheFieldLimits() {
    assertThatThrownBy(() -> EntryInput.parse("application/json", "{\"author\":\" \",\"message\":\"x\"}"))
        .hasMessage("field author is required (1 to 64 characters)");
    String long501 = "m".repeat(501);
    assertThatThrownBy(() -> EntryInput.parse("application/json", "{\"author\":\"a\",\"message\":\"" + long501 + "\"}"))
        .hasMessage("field message is too long: at most 500 characters, was 501");
  }
}
