package dev.webinfra.lab;

import dev.webinfra.host.lab.LabHostDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (Debian's package) run in a lab host for at most a fixed time, or until stopped: keep-alive
 * connections that hammer the site, as an independent judge of failed requests. wrk prints its
 * error lines only when they are not zero.
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

  /**
   * Starts {@code wrk -c connections -d seconds} against {@code url} from {@code host}; {@link
   * #stop} ends it sooner.
   */
  static Wrk start(LabHostDriver driver, String host, String url, int connections, int seconds) {
    // wrk reports on SIGINT as at the end of its time (the requests so far, in the time taken). A
    // line on the wrapper's stdin sends it; the reader is in the background so that a wrk that
    // ends by itself is not held up by it, and is given stdin explicitly (bash gives a background
    // command /dev/null).
    String script =
        "exec 3<&0; wrk -t2 -c"
            + connections
            + " -d"
            + seconds
            + "s --timeout 5s "
            + url
            + " & w=$!; (read -r _; kill -INT $w) <&3 >/dev/null 2>&1 & wait $w";
    try {
      return new Wrk(
          new ProcessBuilder(driver.inHost(host, List.of("bash", "-c", script)))
              .redirectErrorStream(true)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends wrk now; {@link #result} then has its report. */
  void stop() {
    try {
      process.getOutputStream().write('\n');
      process.getOutputStream().flush();
    } catch (IOException e) {
      // wrk and its wrapper have ended already: nothing to stop.
    }
  }

  /** Waits for wrk to finish and parses its report. */
  Result result() {
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      // Lets the background reader of the wrapper end, if wrk ended by itself.
      process.getOutputStream().close();
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
