package dev.webinfra.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts, probes, reloads and stops daemons from their specs, through a host driver. Each running
 * daemon has a pid file and its fingerprint beside it in its host's run directory.
 */
public final class DaemonRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HostDriver driver;
  private final dev.webinfra.wait.Poll poll;
  private final Consumer<String> say;

  public DaemonRunner(HostDriver driver, dev.webinfra.wait.Poll poll, Consumer<String> say) {
    this.driver = driver;
    this.poll = poll;
    this.say = say;
  }

  /** The driver daemons run through. */
  public HostDriver driver() {
    return driver;
  }

  private Path pidFile(DaemonSpec d) {
    return driver.paths(d.host()).run().resolve("wi-" + d.name() + ".pid");
  }

  private Path fingerprintFile(DaemonSpec d) {
    return driver.paths(d.host()).run().resolve("wi-" + d.name() + ".fingerprint.json");
  }

  /** Whether the daemon was ever started in its host (it has a pid file). */
  public boolean wasStarted(DaemonSpec d) {
    return driver.readFile(d.host(), pidFile(d)).isPresent();
  }

  /**
   * Runs the steps before a start, starts the daemon, records its pid and fingerprint, and waits
   * until its probe passes.
   */
  public long start(DaemonSpec d, Fingerprint fingerprint, Duration timeout) {
    long pid = launch(d, fingerprint);
    awaitStarted(d, pid, timeout);
    return pid;
  }

  /**
   * As {@link #start}, without waiting for the probe: the caller awaits it later ({@link
   * #awaitStarted}), and does other work while the daemon starts.
   */
  public long launch(DaemonSpec d, Fingerprint fingerprint) {
    for (DaemonSpec.Dir dir : d.dirs()) {
      driver.mkdirs(d.host(), dir.path(), dir.owner());
    }
    for (Step s : d.beforeStart()) {
      ExecResult r = driver.exec(d.host(), s.command(), null, Duration.ofSeconds(120));
      if (!r.ok()) {
        throw WebinfraException.unexpectedState(
            d.id() + ": " + s.what() + " failed: " + r.describe());
      }
    }
    say.accept("  " + d.id() + ": starting");
    long pid = driver.spawn(d.host(), d.command(), d.log());
    driver.writeFile(d.host(), pidFile(d), pid + "\n", "rw-r--r--", null);
    record(d, fingerprint);
    return pid;
  }

  /** Waits for a launched daemon's probe to pass, and says it is ready. */
  public void awaitStarted(DaemonSpec d, long pid, Duration timeout) {
    awaitReady(d, pid, timeout);
    say.accept("  " + d.id() + ": ready (pid " + pid + ")");
  }

  /** Keeps {@code fingerprint} as what the running daemon is. */
  public void record(DaemonSpec d, Fingerprint fingerprint) {
    try {
      driver.writeFile(
          d.host(), fingerprintFile(d), JSON.writeValueAsString(fingerprint), "rw-r--r--", null);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(d.id() + ": cannot record its fingerprint", e);
    }
  }

  /** The fingerprint the running daemon was started or reloaded with, if known. */
  public Optional<Fingerprint> recorded(DaemonSpec d) {
    return driver
        .readFile(d.host(), fingerprintFile(d))
        .flatMap(
            s -> {
              try {
                return Optional.of(JSON.readValue(s, Fingerprint.class));
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }

  /** Waits for the probe to pass, failing at once with the log's tail if the process dies. */
  public void awaitReady(DaemonSpec d, long pid, Duration timeout) {
    ExecResult[] last = {null};
    boolean[] died = {false};
    try {
      poll.until(
          d.id() + ": not ready",
          timeout,
          Duration.ofMillis(100),
          () -> {
            last[0] = probe(d);
            // Alive after the probe, whatever it said: a copy that failed to bind exits at once,
            // while the probe may pass on another instance's answer (one the controller lost track
            // of).
            if (!driver.isAlive(d.host(), pid)) {
              died[0] = true;
              throw WebinfraException.unexpectedState(
                  d.id() + ": exited during start-up\n" + logTail(d));
            }
            return last[0].ok();
          },
          () ->
              "process "
                  + pid
                  + " alive; last probe "
                  + (last[0] == null ? "none" : last[0].describe()));
    } catch (WebinfraException e) {
      if (died[0]) {
        throw e;
      }
      throw WebinfraException.unexpectedState(e.getMessage() + "\n" + logTail(d));
    }
  }

  /** Runs the daemon's readiness probe once. */
  public ExecResult probe(DaemonSpec d) {
    return driver.exec(d.host(), d.readiness(), null, Duration.ofSeconds(5));
  }

  /** The pid of the daemon's process if it is alive in its host. */
  public Optional<Long> runningPid(DaemonSpec d) {
    return driver
        .readFile(d.host(), pidFile(d))
        .flatMap(
            s -> {
              try {
                return Optional.of(Long.parseLong(s.strip()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            })
        .filter(pid -> driver.isAlive(d.host(), pid));
  }

  /** Applies a config change to the running daemon without a restart, as its unit says. */
  public void reload(DaemonSpec d, long pid, Fingerprint fingerprint) {
    switch (d.reload().kind()) {
      case SIGNAL -> driver.signal(d.host(), pid, d.reload().signal());
      case COMMAND -> {
        ExecResult r = driver.exec(d.host(), d.reload().command(), null, Duration.ofSeconds(30));
        if (!r.ok()) {
          throw WebinfraException.unexpectedState(d.id() + ": reload failed: " + r.describe());
        }
      }
      case RESTART ->
          throw new IllegalArgumentException(d.id() + " cannot reload; it must restart");
    }
    record(d, fingerprint);
  }

  /** Stops the daemon (TERM, then KILL after 10 s) and returns once it has exited. */
  public void stop(DaemonSpec d) {
    stop(d, Duration.ofSeconds(10));
  }

  /** Stops the daemon (TERM, then KILL after {@code grace}) and returns once it has exited. */
  public void stop(DaemonSpec d, Duration grace) {
    runningPid(d)
        .ifPresent(
            pid -> {
              driver.signal(d.host(), pid, "TERM");
              if (!poll.within(
                  grace, Duration.ofMillis(50), () -> !driver.isAlive(d.host(), pid))) {
                driver.signal(d.host(), pid, "KILL");
                poll.within(
                    Duration.ofSeconds(5),
                    Duration.ofMillis(20),
                    () -> !driver.isAlive(d.host(), pid));
              }
            });
  }

  /** The last lines of the daemon's logs, for error messages. */
  public String logTail(DaemonSpec d) {
    StringBuilder sb = new StringBuilder();
    List<Path> logs = new ArrayList<>(d.logs());
    for (Path p : logs.stream().distinct().toList()) {
      driver
          .readFile(d.host(), p)
          .map(String::lines)
          .map(java.util.stream.Stream::toList)
          .filter(l -> !l.isEmpty())
          .ifPresent(
              lines -> {
                sb.append("  last lines of ").append(p).append(":\n");
                lines
                    .subList(Math.max(0, lines.size() - 8), lines.size())
                    .forEach(l -> sb.append("    ").append(l).append("\n"));
              });
    }
    return sb.toString().stripTrailing();
  }
}
