package dev.webinfra.render.keepalived;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import dev.webinfra.render.Template;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived's check of haproxy, run by bash as keepalived runs it: it passes only while haproxy's
 * master lives and its monitor-uri answers 200 within 0.8 s; a hung listener, a refused connection,
 * another status or a dead pid fail it.
 */
class HaproxyAliveScriptTest {
  @TempDir Path dir;

  Path script(int port) throws IOException {
    Path f = dir.resolve("haproxy-alive.sh");
    Files.writeString(
        f,
        Template.load("keepalived/haproxy-alive.sh")
            .render(
                Map.of(
                    "host", "lb1",
                    "lab", "t",
                    "run", dir.toString(),
                    "alive_address", "127.0.0.1",
                    "alive_port", Integer.toString(port),
                    "alive_path", "/alive")));
    return f;
  }

  ExecResult run(int port) throws IOException {
    return Shell.run(List.of("bash", script(port).toString()), null, Duration.ofSeconds(10));
  }

  void pid(long pid) throws IOException {
    Files.writeString(dir.resolve("haproxy.pid"), pid + "\n");
  }

  // A listener that answers each connection with status, or never answers when status is null.
  static CompletableFuture<Void> answering(ServerSocket s, String status) {
    return CompletableFuture.runAsync(
        () -> {
          try (Socket c = s.accept()) {
            c.getInputStream().read(new byte[256]);
            if (status == null) {
              Thread.sleep(3000);
              return;
            }
            OutputStream out = c.getOutputStream();
            out.write(
                ("HTTP/1.1 " + status + "\r\ncontent-length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException | InterruptedException e) {
            // The test ends it.
          }
        });
  }

  @Test
  void anAnswering200PassesAndAnythingElseFails() throws Exception {
    pid(ProcessHandle.current().pid());
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      answering(s, "200 OK");
      assertThat(run(s.getLocalPort()).exitCode()).as("200").isZero();
      answering(s, "503 Service Unavailable");
      assertThat(run(s.getLocalPort()).exitCode()).as("503").isEqualTo(1);
      answering(s, null);
      long start = System.nanoTime();
      assertThat(run(s.getLocalPort()).exitCode()).as("hung").isEqualTo(1);
      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("ms until a hung haproxy fails it")
          .isLessThan(3000);
    }
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    assertThat(run(closed).exitCode()).as("refused").isNotZero();
  }

  @Test
  void aDeadOrMissingMasterFailsBeforeAnyConnection() throws Exception {
    assertThat(run(1).exitCode()).as("no pid file").isEqualTo(1);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    pid(gone.pid());
    assertThat(run(1).exitCode()).as("dead pid").isEqualTo(1);
    Files.writeString(dir.resolve("haproxy.pid"), "");
    assertThat(run(1).exitCode()).as("empty pid file").isEqualTo(1);
  }

  @Test
  void aPidFileWithoutItsNewlineStillNamesTheMaster() throws Exception {
    Files.writeString(dir.resolve("haproxy.pid"), Long.toString(ProcessHandle.current().pid()));
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      answering(s, "200 OK");
      assertThat(run(s.getLocalPort()).exitCode()).isZero();
    }
  }
}
