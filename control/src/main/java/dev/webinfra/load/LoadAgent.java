package dev.webinfra.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The visitor side of {@code load}: a JVM started inside the client host, so it resolves the site
 * through the lab's DNS and reaches it the way a browser there would. It sends the schedule, open
 * loop, and prints one line per outcome ({@link Outcome#toLine()}) between {@code start EPOCH_MS}
 * and {@code end}. It stops when its stdin closes, so it never outlives the CLI that started it.
 */
public final class LoadAgent {
  // Enough of an error page or message to say why, short enough to group by.
  private static final int REASON_CHARS = 160;
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private final URI site;
  private final Schedule schedule;
  private final String runId;
  private final Duration timeout;
  private final int retries;
  private final Semaphore connections;
  private final javax.net.ssl.SSLContext tls;
  private final HttpClient http;
  private final PrintStream out;

  LoadAgent(Map<String, String> a, PrintStream out) throws Exception {
    this.site = URI.create(a.get("url"));
    this.schedule =
        new Schedule(
            Integer.parseInt(a.get("rate")),
            Long.parseLong(a.get("duration-ms")) * 1_000_000L,
            Integer.parseInt(a.get("writes")));
    this.runId = a.get("run-id");
    this.timeout = Duration.ofMillis(Long.parseLong(a.get("timeout-ms")));
    this.retries = Integer.parseInt(a.getOrDefault("retries", "0"));
    this.connections = new Semaphore(Integer.parseInt(a.get("connections")));
    this.out = out;
    this.tls =
        AgentHttp.trusting(Path.of(a.getOrDefault("ca", "/etc/ssl/certs/ca-certificates.crt")));
    this.http = client().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
  }

  // HTTP/1.1: one request per connection at a time, so --connections bounds connections.
  private HttpClient.Builder client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .sslContext(tls);
  }

  /** Runs the agent: {@code --url U --rate R --duration-ms D --writes P --connections C ...}. */
  public static void main(String[] args) throws Exception {
    cacheLookupsLikeABrowser();
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Thread watchdog = Thread.ofPlatform().daemon().start(() -> exitOnEof(System.in));
    watchdog.setName("stdin-watchdog");
    new LoadAgent(a, out)
        .run(
            Clock.systemUTC(), Duration.ofMillis(Long.parseLong(a.getOrDefault("warmup-ms", "0"))));
    System.exit(0);
  }

  /**
   * Keeps an answer, and a failed lookup, for one second, as a browser does with a short TTL; the
   * lookups themselves go through the client's resolv.conf (glibc). These are security properties,
   * read once by the JDK's address cache: java.security sets the negative one to 10 s, and the
   * {@code sun.net.inetaddr.negative.ttl} system property does not override it.
   */
  static void cacheLookupsLikeABrowser() {
    Security.setProperty("networkaddress.cache.ttl", "1");
    Security.setProperty("networkaddress.cache.negative.ttl", "1");
  }

  // The CLI holds our stdin: when it goes away (killed, Ctrl-C), so do we.
  private static void exitOnEof(InputStream in) {
    try {
      while (in.read() >= 0) {
        // Nothing is sent on stdin; we only wait for its end.
      }
    } catch (IOException e) {
      // A broken pipe is an end too.
    }
    Runtime.getRuntime().halt(0);
  }

  void run(Clock clock, Duration warmup) throws InterruptedException {
    warmUp(warmup);
    long count = schedule.count();
    CountDownLatch done = new CountDownLatch((int) count);
    Thread flusher =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (true) {
                    LockSupport.parkNanos(100_000_000L);
                    synchronized (out) {
                      out.flush();
                    }
                  }
                });
    flusher.setName("flusher");
    long start = System.nanoTime();
    synchronized (out) {
      out.println("start " + clock.millis());
      out.flush();
    }
    for (long n = 0; n < count; n++) {
      long due = start + schedule.dueNanos(n);
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      long seq = n;
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  print(send(seq, due - start, due));
                } finally {
                  done.countDown();
                }
              });
    }
    done.await();
    synchronized (out) {
      out.println("end");
      out.flush();
    }
  }

  /**
   * Reads the page in a closed loop over every connection for {@code warmup}, unreported: a cold
   * JVM's class loading, JIT and first TLS handshakes would otherwise show as the site's latency.
   */
  private void warmUp(Duration warmup) throws InterruptedException {
    long end = System.nanoTime() + warmup.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections.availablePermits(); i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      try {
                        http.send(
                            request(-1, false, timeout), HttpResponse.BodyHandlers.discarding());
                      } catch (IOException e) {
                        // A failure now is the site's business once the run starts, not before.
                        LockSupport.parkNanos(50_000_000L);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  // Why a request failed, on a line of its own: "x SEQ CAUSE TEXT", the text on one line; "r ..."
  // for an attempt that failed and is sent again.
  private void reason(long seq, Cause cause, String text) {
    note("x", seq, cause, text);
  }

  private void note(String kind, long seq, Cause cause, String text) {
    String one = text.replaceAll("\\s+", " ").strip();
    String line =
        kind
            + " "
            + seq
            + " "
            + cause.name()
            + " "
            + one.substring(0, Math.min(REASON_CHARS, one.length()));
    synchronized (out) {
      out.println(line);
    }
  }

  private void print(Outcome o) {
    String line = o.toLine();
    synchronized (out) {
      out.println(line);
    }
  }

  private Outcome send(long seq, long dueOffset, long due) {
    boolean write = schedule.isWrite(seq);
    try {
      // Waiting for a free connection is part of the latency: the visitor already clicked.
      long left = timeout.toNanos() - (System.nanoTime() - due);
      if (left <= 0 || !connections.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        reason(seq, Cause.TIMEOUT, "no free connection within the timeout");
        return new Outcome(seq, dueOffset, System.nanoTime() - due, Cause.TIMEOUT, 0, write);
      }
      try {
        HttpResponse<String> r = sendWithRetries(seq, write, due);
        if (r.statusCode() >= 400) {
          reason(seq, Cause.ofStatus(r.statusCode()), r.statusCode() + " " + r.body());
        }
        return new Outcome(
            seq,
            dueOffset,
            System.nanoTime() - due,
            Cause.ofStatus(r.statusCode()),
            r.statusCode(),
            write);
      } finally {
        connections.release();
      }
    } catch (IOException e) {
      Cause c = AgentHttp.classify(e);
      // A failure without an answer says whether it was a read or a write: the server's logs
      // have no status to find it by.
      reason(seq, c, (write ? "a write: " : "a read: ") + e);
      return new Outcome(seq, dueOffset, System.nanoTime() - due, c, 0, write);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(seq, dueOffset, System.nanoTime() - due, Cause.OTHER, 0, write);
    }
  }

  /**
   * Sends the request, and again (at most {@code retries} times, within the timeout) when its
   * connection was reset or closed before any answer: every request here is idempotent, a GET or a
   * keyed write (RFC 9110 section 9.2.2). The JDK already does so once for a GET on a reused
   * connection, as browsers do; this extends it to keyed writes and to new connections, such as
   * those a hung load balancer accepted and then reset when it gave up the floating IP. Each retry
   * is reported ("r" lines), so a run's figures say how many requests needed one.
   */
  private HttpResponse<String> sendWithRetries(long seq, boolean write, long due)
      throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      long left = Math.max(1_000_000L, timeout.toNanos() - (System.nanoTime() - due));
      HttpRequest r = request(seq, write, Duration.ofNanos(left));
      try {
        if (attempt == 0) {
          return http.send(r, HttpResponse.BodyHandlers.ofString());
        }
        // A retry goes on a connection of its own, as a browser's does: the pool's other idle
        // connections to the same load balancer were reset with the failed one, and the client may
        // not have seen it yet (in VipIT a retry taken from the pool failed again at once).
        try (HttpClient fresh = client().build()) {
          return fresh.send(r, HttpResponse.BodyHandlers.ofString());
        }
      } catch (IOException e) {
        boolean timeLeft = timeout.toNanos() - (System.nanoTime() - due) > 1_000_000L;
        if (attempt >= retries || !timeLeft || !AgentHttp.closedBeforeAnswer(e)) {
          throw e;
        }
        note("r", seq, AgentHttp.classify(e), e.toString());
      }
    }
  }

  private HttpRequest request(long seq, boolean write, Duration left) {
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(left);
    if (!write) {
      return b.uri(site).GET().build();
    }
    String body =
        "{\"author\":\"webinfra-load\",\"message\":\"" + Outcome.writeId(runId, seq) + "\"}";
    // One key per write, the write's own id: if HAProxy retries it on another server after the
    // first died mid-write, the app stores it once and answers as it did the first time.
    return b.uri(site.resolve("/entries"))
        .header("Content-Type", "application/json")
        .header(IDEMPOTENCY_KEY, Outcome.writeId(runId, seq))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
