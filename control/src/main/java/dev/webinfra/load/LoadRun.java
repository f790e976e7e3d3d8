package dev.webinfra.load;

import dev.webinfra.WebinfraException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One load run in progress: the agent runs as a visitor and streams its outcomes here, where they
 * add up live. Start it, read {@link #timeline()} while it runs (chaos does), stop it early if need
 * be, then {@link #finish} it for the readback and the verdict.
 */
public final class LoadRun implements AutoCloseable {
  private static final int STDERR_LINES = 20;

  /** How long the agent reads the site, unreported, before the run: see LoadAgent#warmUp. */
  static final Duration WARMUP = Duration.ofSeconds(3);

  private final Site site;
  private final LoadOptions options;
  private final Clock clock;
  private final String runId;
  private final Process agent;
  private final Tally tally = new Tally();
  private final Deque<String> stderr = new ArrayDeque<>();
  private final Thread reader;
  private volatile Instant startedAt;
  private volatile boolean ended;
  private volatile boolean stopped;

  private LoadRun(Site site, LoadOptions options, Clock clock, String runId) {
    this.site = site;
    this.options = options;
    this.clock = clock;
    this.runId = runId;
    this.agent = site.startVisitor(agentCommand(site.visitorJava(), site.url(), options, runId));
    this.reader = Thread.ofPlatform().name("load-outcomes").daemon().start(this::readOutcomes);
    Thread.ofPlatform().name("load-stderr").daemon().start(this::readStderr);
  }

  /** Starts a run against {@code site}. */
  public static LoadRun start(Site site, LoadOptions options, Clock clock) {
    return new LoadRun(site, options, clock, newRunId(clock));
  }

  /** The tag every write of this run carries: {@code load-<run id>-<n>}. */
  public String runId() {
    return runId;
  }

  /** When the agent started sending, once it has. */
  public Optional<Instant> startedAt() {
    return Optional.ofNullable(startedAt);
  }

  /** The outcomes so far; its timeline, totals and latency are live. */
  public Tally tally() {
    return tally;
  }

  /** The timeline so far, one entry per second (the last ones may still fill). */
  public List<Second> timeline() {
    return tally.timeline();
  }

  /** Ends the run now: requests not yet sent are never sent; the result says it is incomplete. */
  public void stop() {
    stopped = true;
    agent.destroy();
  }

  /**
   * Waits for the last request, reads back the database (waiting up to {@code settle} for
   * replication) and classifies every write.
   */
  public LoadResult finish(Duration settle, Consumer<String> say) {
    Duration bound = options.duration().plus(options.timeout()).plusSeconds(60);
    try {
      if (!agent.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        agent.destroyForcibly();
        throw WebinfraException.unexpectedState(
            "load: the agent did not end within " + bound.toSeconds() + " s; " + stderrTail());
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      agent.destroyForcibly();
      throw WebinfraException.unexpectedState("load: interrupted", e);
    }
    if (startedAt == null || (!ended && !stopped)) {
      throw WebinfraException.unexpectedState(
          "load: the agent in the client host exited with "
              + agent.exitValue()
              + " before its end; "
              + stderrTail());
    }
    say.accept("load: " + tally.requests() + " requests sent; reading back run " + runId);
    List<ServerRows> rows = Readback.read(site, runId, settle, clock, say);
    WriteReport writes = SetChecker.check(runId, tally.writes(), rows);
    return new LoadResult(
        runId,
        site.url(),
        startedAt,
        options,
        ended && !stopped,
        tally.requests(),
        tally.ok(),
        tally.failures(),
        tally.reasons(),
        tally.retries(),
        tally.latency(),
        tally.timeline(),
        writes);
  }

  @Override
  public void close() {
    if (agent.isAlive()) {
      stop();
    }
  }

  private void readOutcomes() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("o ")) {
          tally.add(Outcome.parse(line));
        } else if (line.startsWith("x ")) {
          String[] f = line.split(" ", 4);
          tally.reason(Cause.valueOf(f[2]), f.length > 3 ? f[3] : "");
        } else if (line.startsWith("r ")) {
          String[] f = line.split(" ", 4);
          tally.retry(Cause.valueOf(f[2]), f.length > 3 ? f[3] : "");
        } else if (line.startsWith("start ")) {
          startedAt = Instant.ofEpochMilli(Long.parseLong(line.substring(6).strip()));
        } else if (line.equals("end")) {
          ended = true;
        }
      }
    } catch (IOException | RuntimeException e) {
      keepStderr("reading outcomes: " + e);
    }
  }

  private void readStderr() {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(agent.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        keepStderr(line);
      }
    } catch (IOException e) {
      keepStderr("reading stderr: " + e);
    }
  }

  private synchronized void keepStderr(String line) {
    stderr.addLast(line);
    while (stderr.size() > STDERR_LINES) {
      stderr.removeFirst();
    }
  }

  private synchronized String stderrTail() {
    return stderr.isEmpty()
        ? "it printed nothing on stderr"
        : "its stderr ends with:\n  " + String.join("\n  ", stderr);
  }

  /** The agent's command line: {@code java} runs our code where the visitors are. */
  static List<String> agentCommand(
      dev.webinfra.host.SiteFabric.Java java, String url, LoadOptions o, String runId) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.executable());
    cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-Xss512k"));
    // The agent keeps a lookup for a second, like a browser: see
    // LoadAgent#cacheLookupsLikeABrowser.
    String classPath = java.classPath();
    cmd.addAll(List.of("-cp", classPath, LoadAgent.class.getName()));
    cmd.addAll(
        List.of(
            "--url", url,
            "--rate", Integer.toString(o.rate()),
            "--duration-ms", Long.toString(o.duration().toMillis()),
            "--writes", Integer.toString(o.writePercent()),
            "--connections", Integer.toString(o.connections()),
            "--timeout-ms", Long.toString(o.timeout().toMillis()),
            "--retries", Integer.toString(o.retries()),
            "--run-id", runId,
            "--warmup-ms", Long.toString(WARMUP.toMillis())));
    return cmd;
  }

  // Letters and digits only (the readback's LIKE needs no escaping); unique enough per lab.
  static String newRunId(Clock clock) {
    String random = Long.toString(new SecureRandom().nextLong() & 0xffffffL, 36);
    return Long.toString(clock.millis() / 1000, 36) + random;
  }
}
