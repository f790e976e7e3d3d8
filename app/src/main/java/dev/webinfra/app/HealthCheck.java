package dev.webinfra.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The answer to {@code /health}: 200 while the database that serves reads answers a trivial query,
 * 503 with {@code "db":"DOWN"} and the reason when it does not.
 *
 * <p>Reads, not writes, decide the status, so a server keeps serving pages while the writable
 * database is out of reach; the body still says whether writes would succeed ({@code db_write}), as
 * last seen by a background probe, because a dead primary can take longer to time out than a load
 * balancer waits for a check. Answers are reused for {@link #FRESH}: two load balancers probe every
 * server twice a second, and the probes must not load the database.
 */
final class HealthCheck extends AbstractLifeCycle {
  static final Duration FRESH = Duration.ofMillis(200);
  static final Duration WRITE_PROBE_EVERY = Duration.ofSeconds(1);
  // The write state until the first background probe has finished.
  private static final String UNPROBED = "not probed yet";

  /** A check of one database that throws with the reason when it fails. */
  @FunctionalInterface
  interface Probe {
    void check() throws SQLException;
  }

  /** One answer: when it was made, its status and its JSON body. */
  record Answer(Instant at, int status, String body) {}

  private final Probe read;
  private final Probe write;
  private final String host;
  private final InstantSource clock;
  private volatile Answer last = new Answer(Instant.MIN, 503, "{}");
  // Null when the last write probe succeeded.
  private volatile String writeProblem = UNPROBED;
  private volatile Thread writeProber;

  HealthCheck(Probe read, Probe write, String host, InstantSource clock) {
    this.read = read;
    this.write = write;
    this.host = host;
    this.clock = clock;
  }

  /** The current answer, probing the read database only when the last answer is no longer fresh. */
  Answer answer() {
    Answer a = last;
    if (fresh(a)) {
      return a;
    }
    // One probe at a time: checks that arrive while it runs get its answer instead of piling onto
    // the pool.
    synchronized (this) {
      a = last;
      if (!fresh(a)) {
        a = probe();
        last = a;
      }
      return a;
    }
  }

  /**
   * Probes the writable database once, as the background prober does every {@link
   * #WRITE_PROBE_EVERY}.
   */
  void probeWrite() {
    writeProblem = problem(write);
  }

  private boolean fresh(Answer a) {
    return clock.instant().isBefore(a.at().plus(FRESH));
  }

  private Answer probe() {
    String readProblem = problem(read);
    String writeState = writeProblem;
    boolean up = readProblem == null;
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", up ? "UP" : "DOWN");
    body.put("db", up ? "UP" : "DOWN");
    body.put(
        "db_write", writeState == null ? "UP" : writeState.equals(UNPROBED) ? "UNKNOWN" : "DOWN");
    if (!up) {
      body.put("reason", readProblem);
    }
    if (writeState != null) {
      body.put("write_reason", writeState);
    }
    body.put("host", host);
    return new Answer(clock.instant(), up ? 200 : 503, body.toString());
  }

  private static String problem(Probe probe) {
    try {
      probe.check();
      return null;
    } catch (SQLException e) {
      return Responses.describe(e);
    }
  }

  @Override
  protected void doStart() {
    writeProber =
        Thread.ofVirtual()
            .name("write-probe")
            .start(
                () -> {
                  // isRunning, not only the interrupt flag: a JDBC call may swallow the interrupt
                  // that doStop sends.
                  while (isRunning()) {
                    probeWrite();
                    try {
                      Thread.sleep(WRITE_PROBE_EVERY);
                    } catch (InterruptedException e) {
                      // Stopping: end the loop; nothing else waits on this thread's interrupt
                      // status.
                      return;
                    }
                  }
                });
  }

  @Override
  protected void doStop() throws InterruptedException {
    Thread t = writeProber;
    if (t != null) {
      t.interrupt();
      // A probe under way ends within its connection timeout; the pools close right after this.
      t.join(Duration.ofSeconds(2));
    }
  }
}
