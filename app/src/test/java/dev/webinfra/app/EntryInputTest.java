package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

class EntryInputTest {
  @Test
  void acceptsJsonAndForms() throws Exception {
    assertThat(EntryInput.parse("application/json", "{\"author\":\"ann\",\"message\":\"hi\"}"))
        .as("JSON")
        .isEqualTo(new EntryInput("ann", "hi"));
    assertThat(
            EntryInput.parse(
                "application/x-www-form-urlencoded; charset=UTF-8",
                "author=a%C3%A9&message=hello+there"))
        .as("form with %-escaped UTF-8 and + for space")
        .isEqualTo(new EntryInput("aé", "hello there"));
    assertThat(
            EntryInput.parse("application/x-www-form-urlencoded", "author=z\uD83D\uDE00&message=x"))
        .as("raw non-BMP characters survive the form decoder")
        .isEqualTo(new EntryInput("z\uD83D\uDE00", "x"));
  }

  @Test
  void refusesGarbageWithAReasonAndA4xxStatus() {
    assertThatThrownBy(() -> EntryInput.parse("application/json", "{not json"))
        .as("broken JSON")
        .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith("body is not valid JSON")
        .hasCauseInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(
            () ->
                EntryInput.parse(
                    "application/json", "{\"author\":\"a\",\"message\":\"b\"} trailing"))
        .as("JSON with trailing junk")
        .hasMessageStartingWith("body is not valid JSON");
    assertThatThrownBy(() -> EntryInput.parse("application/json", "[1,2]"))
        .as("JSON array")
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> EntryInput.parse("application/json", ""))
        .as("empty JSON body")
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(
            () -> EntryInput.parse("application/json", "{\"author\":5,\"message\":\"x\"}"))
        .as("number for a string")
        .hasMessage("field author must be a string, was number");
    assertThatThrownBy(
            () -> EntryInput.parse("application/x-www-form-urlencoded", "author=%zz&message=x"))
        .as("bad escape")
        .hasMessageStartingWith("form body is not valid URL encoding");
    assertThatThrownBy(
            () -> EntryInput.parse("application/x-www-form-urlencoded", "author=%FF&message=x"))
        .as("escaped bytes not UTF-8")
        .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("form field is not valid UTF-8");
  }

  @Test
  void refusesOtherContentTypesWith415() {
    assertThatThrownBy(() -> EntryInput.parse("text/plain", "hi"))
        .as("text/plain")
        .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(415))
        .hasMessageContaining("was 'text/plain'");
    assertThatThrownBy(() -> EntryInput.parse(null, "hi"))
        .as("no content type")
        .isInstanceOfSatisfying(Rejected.class, e -> assertThat(e.status()).isEqualTo(415));
    assertThatThrownBy(() -> EntryInput.parse("application/json; charset=latin1", "{}"))
        .as("a charset other than UTF-8")
        .hasMessage("content type charset must be UTF-8, was 'latin1'");
  }

  @Test
  void enforcesTheFieldLimitsInCharacters() throws Exception {
    assertThatThrownBy(
            () -> EntryInput.parse("application/json", "{\"author\":\" \",\"message\":\"x\"}"))
        .as("blank author")
        .hasMessage("field author is required (1 to 64 characters)");
    assertThatThrownBy(() -> EntryInput.parse("application/json", "{\"author\":\"a\"}"))
        .as("message absent")
        .hasMessage("field message is required (1 to 500 characters)");
    String long501 = "m".repeat(501);
    assertThatThrownBy(
            () ->
                EntryInput.parse(
                    "application/json", "{\"author\":\"a\",\"message\":\"" + long501 + "\"}"))
        .as("501 characters")
        .hasMessage("field message is too long: at most 500 characters, was 501");
    String emoji64 = "\uD83D\uDE00".repeat(64);
    assertThat(
            EntryInput.parse(
                    "application/json", "{\"author\":\"" + emoji64 + "\",\"message\":\"x\"}")
                .author())
        .as("64 emoji are 64 characters, though 128 UTF-16 units")
        .isEqualTo(emoji64);
  }
}
