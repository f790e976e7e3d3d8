package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.lab.LabHostDriver;
import dev.webinfra.host.lab.LabInventory;
import dev.webinfra.host.lab.LabLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Starts, probes and stops one daemon at a time, tracking each by a pid file in its host. */
public final class DaemonRunner {
  private final LabHostDriver driver;
  private final LabLayout layout;
  private final Clock clock;
  private final Consumer<String> say;

  public DaemonRunner(LabHostDriver driver, Clock clock, Consumer<String> say) {
    this.driver = driver;
    this.layout = driver.layout();
    this.clock = clock;
    this.say = say;
  }

  /** Starts the daemon (with extra arguments) and waits until its probe passes. */
  public long start(Daemon daemon, List<String> extraArgs, Duration timeout) {
    List<String> cmd = new ArrayList<>(daemon.command());
    cmd.addAll(extraArgs);
    say.accept("  " + daemon.id() + ": starting");
    long pid = driver.spawn(daemon.host(), cmd, daemon.log());
    driver.writeFile(daemon.host(), daemon.pidFile(), pid + "\n", "rw-r--r--", null);
    awaitReady(daemon, pid, timeout);
    say.accept("  " + daemon.id() + ": ready (pid " + pid + ")");
    return pid;
  }

  /** Waits for the probe to pass, failing at once with the log's tail if the process dies. */
  public void awaitReady(Daemon daemon, long pid, Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    ExecResult last = null;
    while (clock.instant().isBefore(deadline)) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        throw WebinfraException.unexpectedState(
            daemon.id() + ": exited during start-up\n" + logTail(daemon));
      }
      last = probe(daemon);
      if (last.ok()) {
        return;
      }
      sleep(100);
    }
    throw WebinfraException.unexpectedState(
        daemon.id()
            + ": not ready after "
            + timeout.toSeconds()
            + " s (process "
            + pid
            + " alive; last probe "
            + (last == null ? "none" : last.describe())
            + ")\n"
            + logTail(daemon));
  }

  /** Runs the daemon's readiness probe once. */
  public ExecResult probe(Daemon daemon) {
    return driver.exec(daemon.host(), daemon.readyProbe(), null, Duration.ofSeconds(5));
  }

  /** The pid of the daemon's process if it is alive in its host, else null. */
  public Long runningPid(Daemon daemon) {
    try {
      if (!Files.exists(daemon.pidFile())) {
        return null;
      }
      long pid = Long.parseLong(Files.readString(daemon.pidFile()).strip());
      boolean alive =
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
              && LabInventory.inNamespace(pid, layout.namespace(daemon.host()));
      return alive ? pid : null;
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** Stops the daemon: TERM, then KILL after 10 s. */
  public void stop(Daemon daemon) {
    Long pid = runningPid(daemon);
    if (pid == null) {
      return;
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    Instant deadline = clock.instant().plusSeconds(10);
    while (clock.instant().isBefore(deadline)
        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      sleep(50);
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** The last lines of the daemon's logs, for error messages. */
  public String logTail(Daemon daemon) {
    StringBuilder sb = new StringBuilder();
    List<Path> logs = new ArrayList<>(daemon.logs());
    logs.add(daemon.log());
    for (Path p : logs.stream().distinct().toList()) {
      try {
        List<String> lines = Files.readAllLines(p);
        if (!lines.isEmpty()) {
          sb.append("  last lines of ").append(p).append(":\n");
          lines
              .subList(Math.max(0, lines.size() - 8), lines.size())
              .forEach(l -> sb.append("    ").append(l).append("\n"));
        }
      } catch (IOException e) {
        // No such log yet.
      }
    }
    return sb.toString().stripTrailing();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("interrupted", e);
    }
  }
}
