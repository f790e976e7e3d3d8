package dev.webinfra.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command that reads a server's files in one SSH round trip ({@link SshHostDriver#READ_FILES}),
 * run here in a real shell, and how its answer is read.
 */
class SshReadFilesTest {
  @TempDir Path dir;

  @Test
  void eachFileComesBackAsItIsOrAsAbsent() throws Exception {
    Path text = dir.resolve("haproxy.cfg");
    Files.writeString(text, "global\n  maxconn 100\n\nfrontend fe\n");
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "");
    Path noNewline = dir.resolve("token");
    Files.writeString(noNewline, "s3cr=t");
    Path utf8 = dir.resolve("motd");
    Files.writeString(utf8, "Grüße — ☃\n", StandardCharsets.UTF_8);
    Path missing = dir.resolve("missing");
    Path directory = Files.createDirectories(dir.resolve("a-directory"));
    List<Path> paths = List.of(text, missing, empty, noNewline, directory, utf8);

    List<String> cmd = new ArrayList<>(List.of("sh", "-c", SshHostDriver.READ_FILES, "read"));
    paths.forEach(p -> cmd.add(p.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();

    assertThat(SshHostDriver.parseReadFiles(paths.size(), out))
        .containsExactly(
            Optional.of("global\n  maxconn 100\n\nfrontend fe\n"),
            Optional.empty(),
            Optional.of(""),
            Optional.of("s3cr=t"),
            Optional.empty(),
            Optional.of("Grüße — ☃\n"));
  }

  @Test
  void anAnswerOfAnotherShapeIsNotTakenForTheFiles() {
    assertThat(SshHostDriver.parseReadFiles(2, "-\n")).as("a line short").isNull();
    assertThat(SshHostDriver.parseReadFiles(2, "-\nnot base64!\n"))
        .as("that file alone is unknown")
        .containsExactly(Optional.empty(), null);
  }
}
