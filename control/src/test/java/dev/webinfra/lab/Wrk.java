package dev.webinfra.lab;

import dev.webinfra.host.lab.LabHostDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (Debian's package) run in a lab host for at most a fixed time, or until stopped: keep-alive
 * connections that load the site, as an independent judge of failed requests. wrk prints its error
 * lines only when they are not zero.
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
  private final Path pace;

  private Wrk(Process process, Path pace) {
    this.process = process;
    this.pace = pace;
  }

  /**
   * Starts {@code wrk -c connections -d seconds} against {@code url} from {@code host}, each
   * connection pausing {@code pauseMillis} between its requests; {@link #stop} ends it sooner.
   *
   * <p>The pause keeps the load below what the machine can take: unpaced, 8 connections sent about
   * 2000 requests a second and left nothing of 2 cores to the lab, where a reload then took 14 s
   * instead of 4; with 20 ms, about 340 a second, it took 5 s.
   */
  static Wrk start(
      LabHostDriver driver,
      String host,
      String url,
      int connections,
      int pauseMillis,
      int seconds) {
    Path pace;
    try {
      pace = Files.createTempFile("webinfra-wrk-", ".lua");
      Files.writeString(pace, "function delay()\n  return " + pauseMillis + "\nend\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // wrk reports on SIGINT as at the end of its time (the requests so far, in the time taken). A
    // line on the wrapper's stdin sends it; the reader is in the background so that a wrk that
    // ends by itself is not held up by it, and is given stdin explicitly (bash gives a background
    // command /dev/null).
    String script =
        "exec 3<&0; wrk -t2 -c"
            + connections
            + " -d"
            + seconds
            + "s --timeout 5s -s "
            + pace
            + " "
            + url
            + " & w=$!; (read -r _; kill -INT $w) <&3 >/dev/null 2>&1 & wait $w";
    try {
      return new Wrk(
          new ProcessBuilder(driver.inHost(host, List.of("bash", "-c", script)))
              .redirectErrorStream(true)
              .start(),
          pace);
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
      Files.deleteIfExists(pace);
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
