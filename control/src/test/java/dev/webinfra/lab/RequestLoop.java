package dev.webinfra.lab;

import dev.webinfra.host.lab.LabHostDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bounded request loop run from a lab host with curl: {@code count} requests, one every {@code
 * gapMs}, each printing its HTTP code and the X-Served-By header. It stops by itself, or at {@link
 * #stop}.
 */
final class RequestLoop {
  private final Process process;

  private RequestLoop(Process process) {
    this.process = process;
  }

  /** Starts GET requests to {@code url} from {@code host}. */
  static RequestLoop gets(LabHostDriver driver, String host, String url, int count, int gapMs) {
    return curl(
        driver,
        host,
        count,
        gapMs,
        "-w 'code=%{http_code} x-served-by: %header{x-served-by}\\n' " + url);
  }

  /**
   * Starts POSTs of numbered messages {@code prefix-N} from {@code host} without an idempotency
   * key, as a client that knows none sends them (HAProxy gives each one of its own); each line says
   * code, the connections curl opened and the HTTP version (a client's own retry shows there), and
   * N.
   */
  static RequestLoop posts(
      LabHostDriver driver, String host, String url, String prefix, int count, int gapMs) {
    return post(driver, host, url, prefix, count, gapMs, "");
  }

  /**
   * As {@link #posts}, but each message carries an Idempotency-Key of its own, {@code
   * loop-R-prefix-N} with R random per loop, as docs/idempotency.md asks of an API client: curl's
   * own resend of a message on a new connection is then the same write again, not a new one.
   */
  static RequestLoop keyedPosts(
      LabHostDriver driver, String host, String url, String prefix, int count, int gapMs) {
    String run = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    return post(
        driver,
        host,
        url,
        prefix,
        count,
        gapMs,
        " -H \"Idempotency-Key: loop-" + run + "-" + prefix + "-$i\"");
  }

  private static RequestLoop post(
      LabHostDriver driver,
      String host,
      String url,
      String prefix,
      int count,
      int gapMs,
      String header) {
    return curl(
        driver,
        host,
        count,
        gapMs,
        "-w 'code=%{http_code}"
            + " connects=%{num_connects} http=%{http_version} n='\"$i\"'\\n'"
            + " -H 'Content-Type: application/json'"
            + header
            + " -d \"{\\\"author\\\":\\\"loop\\\",\\\"message\\\":\\\""
            + prefix
            + "-$i\\\"}\" "
            + url);
  }

  /**
   * {@code request} {@code count} times, {@code gapMs} apart, one line each, and no process but
   * curl per request: the line is curl's own {@code -w}, and the gap is bash's {@code read -t} on
   * stdin, which also ends the loop once {@link #stop} closed it ({@code read -t 0} consumes
   * nothing and is true at the end of input, which stays: a line written as a {@code read -t} timed
   * out was lost once, and the loop ran on for its 300 s in MaintenanceIT, run 84).
   */
  static String loop(int count, int gapMs, String request) {
    String gap = gapMs > 0 ? " read -r -t " + (gapMs / 1000.0) + " && break;" : "";
    return "for i in $(seq 1 "
        + count
        + "); do read -r -t 0 && break; "
        + request
        + ";"
        + gap
        + " done";
  }

  // curl with {@code args}, run by {@link #loop} from {@code host}: a line per request.
  private static RequestLoop curl(
      LabHostDriver driver, String host, int count, int gapMs, String args) {
    return start(driver, host, loop(count, gapMs, "curl -s -o /dev/null --max-time 5 " + args));
  }

  private static RequestLoop start(LabHostDriver driver, String host, String script) {
    try {
      return new RequestLoop(
          new ProcessBuilder(driver.inHost(host, List.of("bash", "-c", script)))
              .redirectErrorStream(true)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the loop after the request under way; {@link #results} then has the requests made. */
  void stop() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // The loop has ended already: nothing to stop.
    }
  }

  private List<String> results;

  /** Waits for the loop to finish and returns one line per request (the same on each call). */
  synchronized List<String> results() {
    if (results != null) {
      return results;
    }
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      results = out.lines().filter(l -> !l.isBlank()).toList();
      return results;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
