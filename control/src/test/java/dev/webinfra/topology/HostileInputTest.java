package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.WebinfraException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that must not hurt the loader: each is refused with exit code 2 and one short line that
 * names the file (and the line, when there is one), without reading more than the size limit.
 */
class HostileInputTest {
  @TempDir Path dir;

  static WebinfraException refusal(Path file) {
    try {
      TopologyLoader.load(file);
    } catch (WebinfraException e) {
      return e;
    }
    throw new AssertionError(file + " was accepted");
  }

  static void assertOneShortLine(WebinfraException e, String expected) {
    assertThat(e.exitCode()).isEqualTo(WebinfraException.INVALID_INPUT);
    assertThat(e.getMessage()).as("one line").doesNotContain("\n").contains(expected);
    assertThat(e.getMessage().length()).as("short").isLessThan(300);
    assertThat(e.getCause()).as("no cause to print").isNull();
  }

  @Test
  void aDeviceIsRefusedBeforeItIsRead() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "/dev/zero is missing on this machine");
    assertOneShortLine(refusal(zero), "/dev/zero: is not a regular file");
  }

  @Test
  void aFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = dir.resolve("fifo.yaml");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo is not available");
    // Opening a FIFO with no writer would block for ever: the refusal proves it was not opened.
    assertOneShortLine(refusal(fifo), "fifo.yaml: is not a regular file");
  }

  @Test
  void aDirectoryAndAMissingFileAreRefused() {
    assertOneShortLine(refusal(dir), "is a directory");
    assertOneShortLine(refusal(dir.resolve("nope.yaml")), "nope.yaml: no such file");
  }

  @Test
  void aFileOverTheLimitIsRefusedFromItsSize() throws Exception {
    Path big = dir.resolve("big.yaml");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(30L * 1024 * 1024); // sparse: 30 MiB that cost nothing to make
    }
    assertOneShortLine(refusal(big), "big.yaml: is 30.0 MiB; a topology file is at most 1.0 MiB");
  }

  @Test
  void aTwoMegabyteValueIsRefusedFromTheFileSize() throws Exception {
    Path f = dir.resolve("value.yaml");
    Files.writeString(f, "lab: " + "x".repeat(2 * 1024 * 1024) + "\n");
    assertOneShortLine(refusal(f), "value.yaml: is 2.0 MiB");
  }

  @Test
  void nonUtf8IsRefusedWithItsLineAndColumn() throws Exception {
    Path f = dir.resolve("latin1.yaml");
    Files.write(f, "lab: ab\ndomain: caf\u00e9.com\n".getBytes(StandardCharsets.ISO_8859_1));
    assertOneShortLine(refusal(f), "latin1.yaml:2:12: not UTF-8 text: byte 0xe9");
  }

  @Test
  void binaryIsRefusedWithALocation() throws Exception {
    Path f = dir.resolve("binary.yaml");
    byte[] bytes = new byte[4096];
    new java.util.Random(13).nextBytes(bytes);
    Files.write(f, bytes);
    assertOneShortLine(refusal(f), "binary.yaml:1:");
  }

  @Test
  void controlCharactersAreRefusedWithALocation() throws Exception {
    Path f = dir.resolve("nul.yaml");
    Files.writeString(f, "lab: ab\ndomain: x\u0000y\n");
    assertOneShortLine(refusal(f), "nul.yaml:2:10: not valid YAML: character U+0000");
  }

  @Test
  void escapedControlCharactersAreRefusedAndLongValuesCapped() {
    String tail =
        "\"\ndomain: foobar.com\nnetworks: {public: {cidr: 198.18.0.0/24}}\n"
            + "hosts: {web1: {roles: [web], networks: {public: 198.18.0.21}}}\n";
    WebinfraException e =
        (WebinfraException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    TopologyLoader.parse(
                        "lab: \"\\e[31mred\\e]0;title\\a" + "y".repeat(500_000) + tail, "t"));
    assertOneShortLine(e, "t:1:6: character U+001B in a value (written as an escape)");
    assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("\u0007");

    e =
        (WebinfraException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> TopologyLoader.parse("lab: \"" + "y".repeat(500_000) + tail, "t"));
    assertOneShortLine(e, "t:1:6: lab: 'yyy");
    assertThat(e.getMessage()).contains("…' is not allowed");
  }

  @Test
  void shownEscapesBidiOverridesAndCapsAtEightyCharacters() {
    assertThat(Shown.value("a\u202eb")).isEqualTo("a\\u{202e}b");
    assertThat(Shown.value("z".repeat(200))).hasSize(80).endsWith("…");
    assertThat(Shown.value("ok")).isEqualTo("ok");
  }

  @Test
  void everyProblemStillComesAtOnceEachOnItsOwnLine() {
    assertThatThrownBy(
            () ->
                TopologyLoader.parse("lab: Bad\ndomain: x\nnetworks: {}\nhosts: {}\n", "many.yaml"))
        .isInstanceOf(WebinfraException.class)
        .hasMessageStartingWith("topology many.yaml is invalid (")
        .hasMessageContaining("\n  many.yaml:1:6: lab: 'Bad' is not allowed");
  }
}
