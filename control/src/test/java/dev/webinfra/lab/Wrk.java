package dev.webinfra.lab;

import dev.webinfra.host.lab.LabHostDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (Debian's package) run in a lab host for a fixed time: keep-alive connections that hammer the
 * site, as an independent judge of failed requests. wrk prints its error lines only when they are
 * not zero.
 */
final class Wrk {
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern SOCKET =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  /** What wrk counted. */
  record Result(long requests, long socketErrors, long non2xx, String output) {
    long failed() {
      return socketErrors + non2xx;
    }
  }

  private final Process process;

  private Wrk(Process process) {
    this.process = process;
  }

  /** Starts {@code wrk -c connections -d seconds} against {@code url} from {@code host}. */
  static Wrk start(LabHostDriver driver, String host, String url, int connections, int seconds) {
    try {
      return new Wrk(
          new ProcessBuilder(
                  driver.inHost(
                      host,
                      List.of(
                          "wrk",
                          "-t2",
                          "-c" + connections,
                          "-d" + seconds + "s",
                          "--timeout",
                          "5s",
                          url)))
              .redirectErrorStream(true)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for wrk to finish and parses its report. */
  Result result() {
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      Matcher r = REQUESTS.matcher(out);
      if (!r.find()) {
        throw new IllegalStateException("wrk printed no request count:\n" + out);
      }
      long socket = 0;
      Matcher s = SOCKET.matcher(out);
      if (s.find()) {
        for (int i = 1; i <= 4; i++) {
          socket += Long.parseLong(s.group(i));
        }
      }
      Matcher n = NON_2XX.matcher(out);
      long non2xx = n.find() ? Long.parseLong(n.group(1)) : 0;
      return new Result(Long.parseLong(r.group(1)), socket, non2xx, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
