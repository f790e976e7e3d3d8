package dev.webinfra.daemon;

import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A host's service manager, as webinfra uses it: start, stop, reload, state and logs of a named
 * service, each described by its {@link DaemonSpec}. The lab's runs processes in its namespaces
 * ({@code host.lab.LabSupervisor}); a server's is systemd. How a service is tracked (a pid file, a
 * unit) is the supervisor's own business: nothing above it sees a pid.
 */
public interface Supervisor {

  /** Whether the service was ever started on its host (it may have died since). */
  boolean wasStarted(DaemonSpec d);

  /** Whether the service is running on its host now (ready or not). */
  boolean isRunning(DaemonSpec d);

  /**
   * What identifies the running instance to an operator, such as {@code pid 1234}; empty when the
   * service is not running.
   */
  Optional<String> instance(DaemonSpec d);

  /**
   * {@link #instance} of each of a host's services {@code ds}, in their order; a supervisor that
   * reaches its host over a network asks once for them all.
   */
  default List<Optional<String>> instances(List<DaemonSpec> ds) {
    return ds.stream().map(this::instance).toList();
  }

  /**
   * Creates the service's directories, runs its steps before a start, starts it and records {@code
   * fingerprint} as what it runs; does not wait for it to be ready ({@link #awaitStarted}).
   */
  void launch(DaemonSpec d, Fingerprint fingerprint);

  /**
   * Creates the service's directories and runs its steps before a start, and starts nothing: the
   * part of a launch that a caller may do ahead of the service's turn (a fresh database server's
   * datadir while another server starts). The launch runs the steps again: each does nothing once
   * done.
   */
  void prepare(DaemonSpec d);

  /**
   * Waits for a launched service to be ready, failing at once with its logs' tail if it stops
   * running; says it is ready.
   */
  void awaitStarted(DaemonSpec d, Duration timeout);

  /** Launches the service and waits until it is ready. */
  default void start(DaemonSpec d, Fingerprint fingerprint, Duration timeout) {
    launch(d, fingerprint);
    awaitStarted(d, timeout);
  }

  /** Runs the service's readiness probe once. */
  ExecResult probe(DaemonSpec d);

  /**
   * Applies a config change to the running service without a restart, as its spec's reload says,
   * and records {@code fingerprint}.
   */
  void reload(DaemonSpec d, Fingerprint fingerprint);

  /** Stops the service as its spec says and returns once it has exited. */
  default void stop(DaemonSpec d) {
    stop(d, d.stop().grace());
  }

  /** Stops the service, with KILL after {@code grace}, and returns once it has exited. */
  void stop(DaemonSpec d, Duration grace);

  /**
   * Sends {@code signal} (without SIG: {@code KILL}, {@code STOP}, {@code CONT}) to the service's
   * main process, or with {@code all} to every process of the service (haproxy's workers with its
   * master); returns what was signalled, for the record ({@code pid 1234}). Fails if it is not
   * running.
   */
  String signal(DaemonSpec d, String signal, boolean all);

  /** Keeps {@code fingerprint} as what the running service is. */
  void record(DaemonSpec d, Fingerprint fingerprint);

  /** The fingerprint the running service was started or reloaded with, if known. */
  Optional<Fingerprint> recorded(DaemonSpec d);

  /**
   * Whether each of a host's services {@code ds} runs ({@link #isRunning}) and what it was started
   * with ({@link #recorded}), in their order; a supervisor that reaches its host over a network
   * asks once for them all.
   */
  default List<Observed> observe(List<DaemonSpec> ds) {
    return ds.stream().map(d -> new Observed(isRunning(d), recorded(d))).toList();
  }

  /** What {@link #observe} saw of one service. */
  record Observed(boolean running, Optional<Fingerprint> recorded) {}

  /**
   * Whether each of a host's services {@code ds} was ever started ({@link #wasStarted}) and runs
   * now ({@link #isRunning}), in their order: what the controller looks at every tick. A supervisor
   * that reaches its host over a network asks once for them all.
   */
  default List<Seen> seen(List<DaemonSpec> ds) {
    return ds.stream()
        .map(
            d -> {
              boolean started = wasStarted(d);
              return new Seen(started, started && isRunning(d));
            })
        .toList();
  }

  /** What {@link #seen} saw of one service. */
  record Seen(boolean started, boolean running) {}

  /** The last lines of the service's logs, for error messages. */
  String logTail(DaemonSpec d);

  /**
   * The service's logs for an operator ({@code webinfra logs}): each place it logs to (a file, or
   * systemd's journal of its unit) with its last {@code lines} lines, in the order of {@link
   * DaemonSpec#logs}; places with nothing in them are left out.
   */
  List<Log> logs(DaemonSpec d, int lines);

  /** One place a service logs to, and its last lines. */
  record Log(String source, List<String> lines) {
    public Log {
      lines = List.copyOf(lines);
    }

    /**
     * The last {@code lines} lines of file {@code path} on {@code host}, if it has any: read with
     * {@code tail} on the host, so that a large log is not copied whole.
     */
    public static Optional<Log> tail(HostDriver driver, String host, Path path, int lines) {
      ExecResult r =
          driver.exec(
              host,
              List.of("tail", "-n", Integer.toString(lines), path.toString()),
              null,
              Duration.ofSeconds(30));
      if (!r.ok() || r.stdout().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Log(path.toString(), r.stdout().lines().toList()));
    }
  }
}
