package dev.webinfra.host.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Step;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The lab's service manager: each service is a process spawned in its host's namespace, with a pid
 * file and its fingerprint beside it in the host's run directory. The only code that knows a
 * service's pid.
 */
public final class LabSupervisor implements Supervisor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HostDriver driver;
  private final Processes processes;
  private final dev.webinfra.wait.Poll poll;
  private final Consumer<String> say;

  /**
   * What the lab's supervisor needs of its hosts beyond a {@link HostDriver}: processes by pid. The
   * lab's driver has them; nothing outside {@code host.lab} does.
   */
  public interface Processes {
    /**
     * Starts a daemon detached from this process, with its output appended to {@code log}; returns
     * its pid.
     */
    long spawn(String host, List<String> cmd, Path log);

    /** Whether process {@code pid} is alive in the host. */
    boolean isAlive(String host, long pid);

    /** Sends a signal ({@code TERM}, {@code KILL}, {@code HUP}…) to a process of the host. */
    void signal(String host, long pid, String signal);

    /** Sends a signal to several processes of the host as nearly at once as it can. */
    default void signalAll(String host, List<Long> pids, String signal) {
      pids.forEach(pid -> signal(host, pid, signal));
    }
  }

  /** The supervisor of the lab's hosts. */
  public LabSupervisor(LabHostDriver driver, dev.webinfra.wait.Poll poll, Consumer<String> say) {
    this(driver, driver, poll, say);
  }

  /** A supervisor whose files and commands go through {@code driver}, its processes elsewhere. */
  public LabSupervisor(
      HostDriver driver, Processes processes, dev.webinfra.wait.Poll poll, Consumer<String> say) {
    this.driver = driver;
    this.processes = processes;
    this.poll = poll;
    this.say = say;
  }

  private Path pidFile(DaemonSpec d) {
    return driver.paths(d.host()).run().resolve("wi-" + d.name() + ".pid");
  }

  private Path fingerprintFile(DaemonSpec d) {
    return Fingerprint.file(driver.paths(d.host()), d.name());
  }

  /** Whether the daemon was ever started in its host (it has a pid file). */
  @Override
  public boolean wasStarted(DaemonSpec d) {
    return driver.readFile(d.host(), pidFile(d)).isPresent();
  }

  @Override
  public boolean isRunning(DaemonSpec d) {
    return runningPid(d).isPresent();
  }

  @Override
  public Optional<String> instance(DaemonSpec d) {
    return runningPid(d).map(pid -> "pid " + pid);
  }

  @Override
  public void prepare(DaemonSpec d) {
    for (DaemonSpec.Dir dir : d.dirs()) {
      driver.mkdirs(d.host(), dir.path(), dir.owner());
    }
    Step.runBefore(driver, d, Duration.ofSeconds(120));
  }

  @Override
  public void launch(DaemonSpec d, Fingerprint fingerprint) {
    prepare(d);
    say.accept("  " + d.id() + ": starting");
    long pid = processes.spawn(d.host(), d.commandLine(), d.log());
    driver.writeFile(d.host(), pidFile(d), pid + "\n", "rw-r--r--", null);
    record(d, fingerprint);
  }

  @Override
  public void awaitStarted(DaemonSpec d, Duration timeout) {
    // The pid its launch wrote: verbs that start daemons pause the controller, so no restart of it
    // has written another since.
    long pid =
        pidInFile(d)
            .orElseThrow(
                () -> WebinfraException.unexpectedState(d.id() + ": awaited, but never launched"));
    awaitReady(d, pid, timeout);
    say.accept("  " + d.id() + ": ready (pid " + pid + ")");
  }

  @Override
  public void record(DaemonSpec d, Fingerprint fingerprint) {
    driver.writeFile(d.host(), fingerprintFile(d), fingerprint.json(), "rw-r--r--", null);
  }

  @Override
  public Optional<Fingerprint> recorded(DaemonSpec d) {
    return driver.readFile(d.host(), fingerprintFile(d)).flatMap(Fingerprint::parse);
  }

  /** Waits for the probe to pass, failing at once with the log's tail if the process dies. */
  private void awaitReady(DaemonSpec d, long pid, Duration timeout) {
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
            if (!processes.isAlive(d.host(), pid)) {
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

  @Override
  public ExecResult probe(DaemonSpec d) {
    return driver.exec(d.host(), d.readiness().command(), null, Duration.ofSeconds(5));
  }

  /** The pid of the daemon's process if it is alive in its host. */
  private Optional<Long> runningPid(DaemonSpec d) {
    return pidInFile(d).filter(pid -> processes.isAlive(d.host(), pid));
  }

  private Optional<Long> pidInFile(DaemonSpec d) {
    return driver
        .readFile(d.host(), pidFile(d))
        .flatMap(
            s -> {
              try {
                return Optional.of(Long.parseLong(s.strip()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  @Override
  public void reload(DaemonSpec d, Fingerprint fingerprint) {
    switch (d.reload().kind()) {
      case SIGNAL -> signal(d, d.reload().signal(), false);
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

  @Override
  public void stop(DaemonSpec d, Duration grace) {
    runningPid(d)
        .ifPresent(
            pid -> {
              processes.signal(d.host(), pid, d.stop().signal());
              if (!poll.within(
                  grace, Duration.ofMillis(50), () -> !processes.isAlive(d.host(), pid))) {
                processes.signal(d.host(), pid, "KILL");
                poll.within(
                    Duration.ofSeconds(5),
                    Duration.ofMillis(20),
                    () -> !processes.isAlive(d.host(), pid));
              }
            });
  }

  @Override
  public String signal(DaemonSpec d, String signal, boolean all) {
    long pid =
        runningPid(d)
            .orElseThrow(
                () ->
                    WebinfraException.unexpectedState(
                        "host " + d.host() + ": " + d.name() + " is not running"));
    List<Long> pids = all ? tree(d.host(), pid) : List.of(pid);
    processes.signalAll(d.host(), pids, signal);
    return pids.size() == 1
        ? "pid " + pid
        : "pids " + pids.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** A process and every process under it, from /proc: haproxy's workers under its master. */
  private List<Long> tree(String host, long pid) {
    List<Long> out = new ArrayList<>(List.of(pid));
    for (int i = 0; i < out.size(); i++) {
      ExecResult r =
          driver.exec(
              host,
              List.of("sh", "-c", "cat /proc/" + out.get(i) + "/task/*/children 2>/dev/null"),
              null,
              Duration.ofSeconds(2));
      for (String c : r.stdout().trim().split("\\s+")) {
        if (c.matches("[0-9]+") && !out.contains(Long.parseLong(c))) {
          out.add(Long.parseLong(c));
        }
      }
    }
    return out;
  }

  @Override
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

  /** The tails of the daemon's log files (its stdout's and those it writes itself). */
  @Override
  public List<Log> logs(DaemonSpec d, int lines) {
    return d.logs().stream().flatMap(p -> Log.tail(driver, d.host(), p, lines).stream()).toList();
  }
}
