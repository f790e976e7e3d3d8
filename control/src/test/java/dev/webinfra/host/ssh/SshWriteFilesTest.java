package dev.webinfra.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.host.HostDriver.FileWrite;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script that writes a server's files in one SSH round trip ({@link
 * SshHostDriver#writeScript}), run here by a real {@code sh -s}.
 */
class SshWriteFilesTest {
  @TempDir Path dir;

  @Test
  void eachFileIsWrittenWholeWithItsModeInADirectoryMadeForIt() throws Exception {
    Path config = dir.resolve("etc/webinfra/haproxy.cfg");
    Path secret = dir.resolve("etc/webinfra/app-db.password");
    Path odd = dir.resolve("it's a \"dir\"/$HOME `x`.txt");
    Path empty = dir.resolve("empty");
    String tricky = "line 'one' \"two\" $HOME `date` \\n\nWEBINFRA_EOF\nGrüße — ☃";
    String big = "x".repeat(100_000) + "\n";
    List<FileWrite> files =
        List.of(
            new FileWrite(config, "global\n  maxconn 100\n", "rw-r--r--", null),
            // Owned by whoever runs the test: the one owner it may give a file.
            new FileWrite(secret, "s3cr=t\n", "rw-------", System.getProperty("user.name")),
            new FileWrite(odd, tricky, "rwxr-xr-x", null),
            new FileWrite(empty, "", "rw-r--r--", null),
            new FileWrite(dir.resolve("big"), big, "rw-r--r--", null));

    Result r = run(SshHostDriver.writeScript(files));

    assertThat(r.exit).as(r.out).isZero();
    assertThat(Files.readString(config)).isEqualTo("global\n  maxconn 100\n");
    assertThat(Files.readString(secret)).isEqualTo("s3cr=t\n");
    assertThat(Files.readString(odd, StandardCharsets.UTF_8)).isEqualTo(tricky);
    assertThat(Files.readString(empty)).isEmpty();
    assertThat(Files.readString(dir.resolve("big"))).isEqualTo(big);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
        .isEqualTo("rw-------");
    assertThat(Files.getOwner(secret).getName()).isEqualTo(System.getProperty("user.name"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(odd)))
        .isEqualTo("rwxr-xr-x");
    try (var left = Files.walk(dir)) {
      assertThat(left.filter(p -> p.toString().endsWith(".webinfra-tmp")).toList())
          .as("no temporary file left")
          .isEmpty();
    }
  }

  @Test
  void theFirstFileThatCannotBeWrittenIsNamedAndEndsIt() throws Exception {
    Path before = dir.resolve("before");
    Files.writeString(dir.resolve("a-file"), "in the way");
    Path blocked = dir.resolve("a-file/under-a-file");
    Path after = dir.resolve("after");

    Result r =
        run(
            SshHostDriver.writeScript(
                List.of(
                    new FileWrite(before, "1", "rw-r--r--", null),
                    new FileWrite(blocked, "2", "rw-r--r--", null),
                    new FileWrite(after, "3", "rw-r--r--", null))));

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out.strip()).endsWith(blocked.toString());
    assertThat(Files.readString(before)).isEqualTo("1");
    assertThat(after).doesNotExist();
  }

  private record Result(int exit, String out) {}

  private static Result run(String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-s").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }
}
