package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.systemd.SystemdUnitRenderer;
import dev.webinfra.wait.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A server's supervisor: systemd. Each daemon is the unit {@code webinfra-NAME.service} rendered
 * from its spec ({@link SystemdUnitRenderer}), enabled so that the server's boot starts it, and
 * started, reloaded, signalled and stopped with {@code systemctl}; its output is in the journal. A
 * unit that fails to start is reported with its last journal lines.
 */
public final class SystemdSupervisor implements Supervisor {
  private static final Duration SHORT = Duration.ofSeconds(30);

  private final HostDriver driver;
  private final Poll poll;
  private final Consumer<String> say;

  private final UnitWatch watch;

  public SystemdSupervisor(HostDriver driver, Poll poll, Consumer<String> say) {
    this(driver, poll, say, null);
  }

  private SystemdSupervisor(HostDriver driver, Poll poll, Consumer<String> say, UnitWatch watch) {
    this.driver = driver;
    this.poll = poll;
    this.say = say;
    this.watch = watch;
  }

  /**
   * The controller's: {@link #seen} answers from one long-lived command per server ({@link
   * UnitWatch}) instead of an SSH command per look.
   */
  public static SystemdSupervisor watching(HostDriver driver, Poll poll, Consumer<String> say) {
    return new SystemdSupervisor(driver, poll, say, new UnitWatch(driver));
  }

  /** As {@link #watching}, with systemd's control groups looked for in {@code cgroups}. */
  static SystemdSupervisor watching(
      HostDriver driver, Poll poll, Consumer<String> say, List<String> cgroups) {
    return new SystemdSupervisor(driver, poll, say, new UnitWatch(driver, cgroups));
  }

  private static String unit(DaemonSpec d) {
    return SystemdUnitRenderer.unitName(d.name());
  }

  private ExecResult systemctl(DaemonSpec d, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("systemctl"));
    cmd.addAll(List.of(args));
    return driver.exec(d.host(), cmd, null, Duration.ofMinutes(2));
  }

  @Override
  public boolean wasStarted(DaemonSpec d) {
    return driver.readFile(d.host(), SystemdUnitRenderer.UNIT_DIR.resolve(unit(d))).isPresent();
  }

  @Override
  public boolean isRunning(DaemonSpec d) {
    return systemctl(d, "is-active", "--quiet", unit(d)).ok();
  }

  /**
   * One command for all of a host's units: for each, two lines, {@code systemctl is-active} and its
   * fingerprint file in base64 (empty when there is none).
   */
  @Override
  public List<Observed> observe(List<DaemonSpec> ds) {
    if (ds.isEmpty()) {
      return List.of();
    }
    String host = ds.get(0).host();
    if (ds.stream().anyMatch(d -> !d.host().equals(host))) {
      return Supervisor.super.observe(ds);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "while [ $# -gt 1 ]; do systemctl is-active \"$1\" 2>/dev/null || true;"
                    + " base64 -w0 \"$2\" 2>/dev/null; echo; shift 2; done",
                "observe"));
    for (DaemonSpec d : ds) {
      cmd.add(unit(d));
      cmd.add(Fingerprint.file(driver.paths(host), d.name()).toString());
    }
    ExecResult r = driver.exec(host, cmd, null, SHORT);
    List<String> lines = r.stdout().lines().toList();
    if (!r.ok() || lines.size() != 2 * ds.size()) {
      // Not the answer expected: ask one by one, as without this.
      return Supervisor.super.observe(ds);
    }
    List<Observed> out = new ArrayList<>();
    for (int i = 0; i < ds.size(); i++) {
      String state = lines.get(2 * i).strip();
      String fp = lines.get(2 * i + 1).strip();
      Optional<Fingerprint> recorded = Optional.empty();
      if (!fp.isEmpty()) {
        try {
          recorded =
              Fingerprint.parse(
                  new String(
                      java.util.Base64.getDecoder().decode(fp),
                      java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          recorded = Optional.empty();
        }
      }
      out.add(new Observed(state.equals("active") || state.equals("reloading"), recorded));
    }
    return out;
  }

  /**
   * One command for all of a host's units, as the controller asks every tick: whether each one's
   * unit file is there, then one {@code systemctl is-active} for them all.
   */
  @Override
  public List<Seen> seen(List<DaemonSpec> ds) {
    if (ds.isEmpty()) {
      return List.of();
    }
    String host = ds.get(0).host();
    if (ds.stream().anyMatch(d -> !d.host().equals(host))) {
      return Supervisor.super.seen(ds);
    }
    if (watch != null) {
      return watch.seen(host, ds.stream().map(SystemdSupervisor::unit).toList());
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "for u; do if [ -e \"$0/$u\" ]; then echo started; else echo none; fi; done;"
                    + " systemctl is-active \"$@\" 2>/dev/null; true",
                SystemdUnitRenderer.UNIT_DIR.toString()));
    ds.forEach(d -> cmd.add(unit(d)));
    ExecResult r = driver.exec(host, cmd, null, SHORT);
    List<String> lines = r.stdout().lines().map(String::strip).toList();
    if (!r.ok() || lines.size() != 2 * ds.size()) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot ask systemd about its units: " + r.describe());
    }
    List<Seen> out = new ArrayList<>();
    // One systemctl for them all: each unit's file, then each unit's state, in their order.
    for (int i = 0; i < ds.size(); i++) {
      String state = lines.get(ds.size() + i);
      out.add(
          new Seen(
              lines.get(i).equals("started"), state.equals("active") || state.equals("reloading")));
    }
    return out;
  }

  @Override
  public Optional<String> instance(DaemonSpec d) {
    // One question, not is-active and then show: each is an SSH round trip, for every daemon of
    // the site on every up.
    List<String> state =
        systemctl(d, "show", "--property=ActiveState", "--property=MainPID", unit(d))
            .stdout()
            .lines()
            .toList();
    if (!state.contains("ActiveState=active") && !state.contains("ActiveState=reloading")) {
      return Optional.empty();
    }
    String pid =
        state.stream()
            .filter(l -> l.startsWith("MainPID="))
            .map(l -> l.substring("MainPID=".length()))
            .findFirst()
            .orElse("?");
    return Optional.of(unit(d) + ", pid " + pid);
  }

  /**
   * Writes the unit, makes systemd read it, enables it and (re)starts it. The steps before its
   * start are the unit's own ExecStartPre; its directories are made first.
   */
  @Override
  public void launch(DaemonSpec d, Fingerprint fingerprint) {
    HostPaths p = driver.paths(d.host());
    // Its working directory (the run directory unless it names one), and where it writes logs of
    // its own: a fresh server has neither.
    if (d.workdir() == null) {
      driver.mkdirs(d.host(), p.run(), null);
    }
    for (Path log : d.logs()) {
      if (!log.equals(d.log())) {
        driver.mkdirs(d.host(), log.getParent(), null);
        if (d.user() != null && log.getParent().equals(p.log())) {
          // The shared log directory stays root's: the daemon's user gets its own file there.
          ExecResult made =
              driver.exec(
                  d.host(),
                  List.of(
                      "sh",
                      "-c",
                      "touch \"$1\" && chown \"$2\": \"$1\"",
                      "log",
                      log.toString(),
                      d.user()),
                  null,
                  SHORT);
          if (!made.ok()) {
            throw WebinfraException.unexpectedState(
                "host "
                    + d.host()
                    + ": cannot make "
                    + d.id()
                    + "'s log "
                    + log
                    + ": "
                    + made.describe());
          }
        }
      }
    }
    for (DaemonSpec.Dir dir : d.dirs()) {
      driver.mkdirs(d.host(), dir.path(), dir.owner());
    }
    var file = SystemdUnitRenderer.render(d, p);
    driver.writeFile(d.host(), file.path(), file.content(), file.mode(), null);
    require(d, "daemon-reload", systemctl(d, "daemon-reload"));
    require(d, "enable", systemctl(d, "enable", "--quiet", unit(d)));
    say.accept("  " + d.id() + ": starting " + unit(d));
    // A unit that systemd gave up on (too many starts at boot, say) starts again only once reset.
    systemctl(d, "reset-failed", unit(d));
    require(d, "start", systemctl(d, "restart", unit(d)));
    record(d, fingerprint);
  }

  /**
   * Waits until the unit runs and its probe passes with the same main process before and after: a
   * daemon that exits at once is restarted by systemd, so a probe of a daemon without one of its
   * own could pass between two of its deaths. A restart since the launch, or a failed unit, fails
   * the wait at once, with the journal.
   */
  @Override
  public void awaitStarted(DaemonSpec d, Duration timeout) {
    ExecResult[] last = {null};
    poll.until(
        d.id() + ": not ready",
        timeout,
        Duration.ofMillis(250),
        () -> {
          Map<String, String> before = state(d);
          last[0] = probe(d);
          Map<String, String> after = state(d);
          if (after.get("ActiveState").equals("failed") || !after.get("NRestarts").equals("0")) {
            throw WebinfraException.unexpectedState(
                "host "
                    + d.host()
                    + ": "
                    + unit(d)
                    + " exited while starting; its journal:\n"
                    + logTail(d));
          }
          return last[0].ok()
              && after.get("SubState").equals("running")
              && after.get("MainPID").equals(before.get("MainPID"));
        },
        () ->
            (last[0] == null ? "no probe yet" : "last probe " + last[0].describe())
                + "\n"
                + logTail(d));
    say.accept("  " + d.id() + ": ready (" + instance(d).orElse(unit(d)) + ")");
  }

  // The unit's state as systemd has it: ActiveState, SubState, MainPID, NRestarts.
  private Map<String, String> state(DaemonSpec d) {
    Map<String, String> out = new HashMap<>();
    systemctl(d, "show", "--property=ActiveState,SubState,MainPID,NRestarts", unit(d))
        .stdout()
        .lines()
        .map(l -> l.split("=", 2))
        .filter(kv -> kv.length == 2)
        .forEach(kv -> out.put(kv[0], kv[1]));
    for (String k : List.of("ActiveState", "SubState", "MainPID", "NRestarts")) {
      out.putIfAbsent(k, "");
    }
    return out;
  }

  @Override
  public ExecResult probe(DaemonSpec d) {
    return driver.exec(d.host(), d.readiness().command(), null, Duration.ofSeconds(5));
  }

  @Override
  public void reload(DaemonSpec d, Fingerprint fingerprint) {
    switch (d.reload().kind()) {
      case SIGNAL, COMMAND -> require(d, "reload", systemctl(d, "reload", unit(d)));
      case RESTART ->
          throw new IllegalArgumentException(d.id() + " cannot reload; it must restart");
    }
    record(d, fingerprint);
  }

  /** Stops it as its unit says (its stop signal, then KILL after its grace). */
  @Override
  public void stop(DaemonSpec d, Duration grace) {
    if (wasStarted(d)) {
      require(d, "stop", systemctl(d, "stop", unit(d)));
    }
  }

  @Override
  public String signal(DaemonSpec d, String signal, boolean all) {
    if (!isRunning(d)) {
      throw WebinfraException.unexpectedState(
          "host " + d.host() + ": " + d.name() + " is not running");
    }
    require(
        d,
        "signal " + signal,
        systemctl(
            d, "kill", "--kill-whom=" + (all ? "all" : "main"), "--signal=" + signal, unit(d)));
    return unit(d) + (all ? ", every process" : ", its main process");
  }

  @Override
  public void record(DaemonSpec d, Fingerprint fingerprint) {
    driver.writeFile(
        d.host(),
        Fingerprint.file(driver.paths(d.host()), d.name()),
        fingerprint.json(),
        "rw-r--r--",
        null);
  }

  @Override
  public Optional<Fingerprint> recorded(DaemonSpec d) {
    return driver
        .readFile(d.host(), Fingerprint.file(driver.paths(d.host()), d.name()))
        .flatMap(Fingerprint::parse);
  }

  /** The unit's last journal lines. */
  @Override
  public String logTail(DaemonSpec d) {
    return journal(d, 20, "cat").stdout().strip();
  }

  /**
   * The unit's journal (the daemon's stdout and stderr), then the tails of the log files it writes
   * itself.
   */
  @Override
  public List<Log> logs(DaemonSpec d, int lines) {
    List<Log> out = new ArrayList<>();
    ExecResult journal = journal(d, lines, "short-iso");
    if (journal.ok() && !journal.stdout().isBlank()) {
      out.add(new Log("journal of " + unit(d), journal.stdout().lines().toList()));
    }
    for (Path p : d.logs()) {
      if (!p.equals(d.log())) {
        Log.tail(driver, d.host(), p, lines).ifPresent(out::add);
      }
    }
    return out;
  }

  // The unit's last lines in the journal, as journalctl's --output says.
  private ExecResult journal(DaemonSpec d, int lines, String output) {
    return driver.exec(
        d.host(),
        List.of(
            "journalctl",
            "--unit=" + unit(d),
            "--lines=" + lines,
            "--no-pager",
            "--output=" + output),
        null,
        SHORT);
  }

  private void require(DaemonSpec d, String what, ExecResult r) {
    if (!r.ok()) {
      String journal = logTail(d);
      throw WebinfraException.unexpectedState(
          "host "
              + d.host()
              + ": systemctl "
              + what
              + " "
              + unit(d)
              + " failed: "
              + r.describe()
              + (journal.isEmpty() ? "" : "\n" + journal));
    }
  }
}
