package dev.webinfra.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP probe, run as a host runs it (bash and timeout), against a real local server. */
class ReadinessTest {
  HttpServer server;
  int port;
  final List<String> asked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          asked.add(x.getRequestURI().toString() + " " + x.getRequestHeaders().getFirst("Host"));
          String p = x.getRequestURI().getPath();
          int status = p.startsWith("/s/") ? Integer.parseInt(p.substring(3)) : 200;
          if (status == 302) {
            x.getResponseHeaders().add("Location", "/elsewhere");
          }
          byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(status, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static int run(Readiness r) throws Exception {
    Process p = new ProcessBuilder(r.command()).redirectErrorStream(true).start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the probe ends by itself").isTrue();
    return p.exitValue();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void aSuccessOrARedirectIsReadyAndAnErrorIsNot() throws Exception {
    assertThat(run(Readiness.http(url("/health")))).isZero();
    assertThat(run(Readiness.http(url("/s/204")))).isZero();
    assertThat(run(Readiness.http(url("/s/302")))).isZero();
    assertThat(run(Readiness.http(url("/s/404")))).isNotZero();
    assertThat(run(Readiness.http(url("/s/503")))).isNotZero();
  }

  @Test
  void anyStatusIsReadyWhenAnyAnswerWillDo() throws Exception {
    assertThat(run(Readiness.answers(url("/s/503"), Optional.empty()))).isZero();
    assertThat(run(Readiness.answers(url("/s/404"), Optional.empty()))).isZero();
  }

  @Test
  void thePathQueryAndHostReachTheServerAsGiven() throws Exception {
    assertThat(run(Readiness.answers(url("/peek?host=readiness"), Optional.empty()))).isZero();
    assertThat(run(Readiness.http("http://127.0.0.1:" + port))).isZero();
    assertThat(asked)
        .containsExactly("/peek?host=readiness 127.0.0.1:" + port, "/ 127.0.0.1:" + port);
  }

  @Test
  void nothingListeningIsNotReady() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    assertThat(run(Readiness.http("http://127.0.0.1:" + closed + "/"))).isNotZero();
  }

  @Test
  void aServerThatNeverAnswersIsNotReadyWithinTwoSeconds() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      long t0 = System.nanoTime();
      assertThat(run(Readiness.http("http://127.0.0.1:" + silent.getLocalPort() + "/")))
          .isNotZero();
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms").isLessThan(5_000);
    }
  }

  @Test
  void anHttpsPageOrOneCheckedAgainstACaIsAskedByCurl() {
    assertThat(Readiness.answers("https://198.18.7.21/", Optional.of(Path.of("/ca.crt"))).command())
        .containsExactly(
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "--max-time",
            "1",
            "--cacert",
            "/ca.crt",
            "https://198.18.7.21/");
    assertThat(Readiness.http(url("/health")).command())
        .startsWith("timeout", "2", "bash", "-c")
        .endsWith("http-probe", "127.0.0.1", Integer.toString(port), "/health", "success");
  }

  @Test
  void anIpv6LiteralIsAskedByCurl() {
    assertThat(Readiness.http("http://[::1]:9100/metrics").command())
        .containsExactly(
            "curl", "-sf", "-o", "/dev/null", "--max-time", "1", "http://[::1]:9100/metrics");
  }
}
