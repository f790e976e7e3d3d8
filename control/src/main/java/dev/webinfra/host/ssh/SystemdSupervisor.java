package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Step;
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

  /** The host of all of {@code ds}, which one command there can ask about; null if they differ. */
  private static String oneHost(List<DaemonSpec> ds) {
    String host = ds.get(0).host();
    return ds.stream().allMatch(d -> d.host().equals(host)) ? host : null;
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
    String host = oneHost(ds);
    if (host == null) {
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
    String host = oneHost(ds);
    if (host == null) {
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
    return instances(List.of(d)).get(0);
  }

  /**
   * One {@code systemctl show} for all of a host's units: each is an SSH round trip otherwise, for
   * every daemon of the site on every up.
   */
  @Override
  public List<Optional<String>> instances(List<DaemonSpec> ds) {
    if (ds.isEmpty()) {
      return List.of();
    }
    String host = oneHost(ds);
    if (host == null) {
      return Supervisor.super.instances(ds);
    }
    List<String> cmd =
        new ArrayList<>(List.of("systemctl", "show", "--property=Id,ActiveState,MainPID"));
    ds.forEach(d -> cmd.add(unit(d)));
    ExecResult r = driver.exec(host, cmd, null, SHORT);
    Map<String, Map<String, String>> byUnit = showBlocks(r.stdout());
    return ds.stream().map(d -> instanceOf(unit(d), byUnit.get(unit(d)))).toList();
  }

  /**
   * The blocks of {@code systemctl show} for several units, by their {@code Id}: one block of
   * {@code Property=value} lines for each, a blank line between them.
   */
  static Map<String, Map<String, String>> showBlocks(String out) {
    Map<String, Map<String, String>> byId = new HashMap<>();
    Map<String, String> block = new HashMap<>();
    for (String line : (out + "\n\n").lines().toList()) {
      if (line.isBlank()) {
        if (block.containsKey("Id")) {
          byId.put(block.get("Id"), block);
        }
        block = new HashMap<>();
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0) {
        block.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return byId;
  }

  private static Optional<String> instanceOf(String unit, Map<String, String> shown) {
    if (shown == null) {
      return Optional.empty();
    }
    String state = shown.getOrDefault("ActiveState", "");
    if (!state.equals("active") && !state.equals("reloading")) {
      return Optional.empty();
    }
    return Optional.of(unit + ", pid " + shown.getOrDefault("MainPID", "?"));
  }

  /**
   * The steps before a start, run here as systemd runs them (ExecStartPre, as root), after the
   * service's directories; the unit is neither written nor started.
   */
  @Override
  public void prepare(DaemonSpec d) {
    makeDirectories(d);
    Step.runBefore(driver, d, Duration.ofMinutes(2));
  }

  private void makeDirectories(DaemonSpec d) {
    HostPaths p = driver.paths(d.host());
    // Its working directory (the run directory unless it names one), where it writes logs of its
    // own, and its own directories: a fresh server has none of them. Made in one command, each
    // entry "dir PATH OWNER" or "log FILE OWNER" (OWNER "-" for root's).
    List<String> made = new ArrayList<>();
    if (d.workdir() == null) {
      made.addAll(List.of("dir", p.run().toString(), "-"));
    }
    for (Path log : d.logs()) {
      if (!log.equals(d.log())) {
        made.addAll(List.of("dir", log.getParent().toString(), "-"));
        if (d.user() != null && log.getParent().equals(p.log())) {
          // The shared log directory stays root's: the daemon's user gets its own file there.
          made.addAll(List.of("log", log.toString(), d.user()));
        }
      }
    }
    for (DaemonSpec.Dir dir : d.dirs()) {
      made.addAll(List.of("dir", dir.path().toString(), dir.owner() == null ? "-" : dir.owner()));
    }
    if (!made.isEmpty()) {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "sh",
                  "-c",
                  "while [ $# -ge 3 ]; do case $1 in dir) mkdir -p \"$2\";; log) touch \"$2\";;"
                      + " esac && { [ \"$3\" = - ] || chown \"$3\": \"$2\"; } || { echo \"$2\";"
                      + " exit 1; }; shift 3; done",
                  "made"));
      cmd.addAll(made);
      ExecResult r = driver.exec(d.host(), cmd, null, SHORT);
      if (!r.ok()) {
        throw WebinfraException.unexpectedState(
            "host "
                + d.host()
                + ": cannot make "
                + d.id()
                + "'s "
                + (r.stdout().isBlank() ? "directories" : r.stdout().strip())
                + ": "
                + r.describe());
      }
    }
  }

  /**
   * Writes the unit, makes systemd read it, enables it and (re)starts it. The steps before its
   * start are the unit's own ExecStartPre; its directories are made first.
   */
  @Override
  public void launch(DaemonSpec d, Fingerprint fingerprint) {
    makeDirectories(d);
    HostPaths p = driver.paths(d.host());
    var file = SystemdUnitRenderer.render(d, p);
    // systemd reads a unit file again only on a daemon-reload, which re-reads every unit (half a
    // second or more on a busy server): done only when the file changed, or when systemd says it
    // runs an older one (a write whose reload an ended run never made).
    boolean changed =
        !driver.readFile(d.host(), file.path()).map(file.content()::equals).orElse(false);
    if (changed) {
      driver.writeFile(d.host(), file.path(), file.content(), file.mode(), null);
    }
    say.accept("  " + d.id() + ": starting " + unit(d));
    // One command, each step named if it fails: enable without its own reload (the one above is
    // enough; the link counts at boot), and a unit that systemd gave up on (too many starts at
    // boot, say) starts again only once reset.
    ExecResult r =
        driver.exec(
            d.host(),
            List.of(
                "sh",
                "-c",
                "if [ \"$2\" = changed ] || [ \"$(systemctl show --value"
                    + " --property=NeedDaemonReload \"$1\")\" = yes ]; then systemctl daemon-reload"
                    + " || { echo daemon-reload; exit 1; }; fi; systemctl enable --quiet"
                    + " --no-reload \"$1\" || { echo enable; exit 1; }; systemctl reset-failed"
                    + " \"$1\" 2>/dev/null; systemctl restart \"$1\" || { echo start; exit 1; }",
                "launch",
                unit(d),
                changed ? "changed" : "same"),
            null,
            Duration.ofMinutes(2));
    require(d, r.ok() ? "start" : r.stdout().strip(), r);
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
    String[] pid = {"?"};
    poll.until(
        d.id() + ": not ready",
        timeout,
        Duration.ofMillis(250),
        () -> {
          Look look = look(d);
          last[0] = look.probe();
          Map<String, String> before = look.before();
          Map<String, String> after = look.after();
          // A look cut short says nothing of restarts: only a count other than 0 does.
          String restarts = after.get("NRestarts");
          if (after.get("ActiveState").equals("failed")
              || !(restarts.isEmpty() || restarts.equals("0"))) {
            throw WebinfraException.unexpectedState(
                "host "
                    + d.host()
                    + ": "
                    + unit(d)
                    + " exited while starting; its journal:\n"
                    + logTail(d));
          }
          pid[0] = after.get("MainPID");
          return last[0].ok()
              && after.get("SubState").equals("running")
              && after.get("MainPID").equals(before.get("MainPID"));
        },
        () ->
            (last[0] == null ? "no probe yet" : "last probe " + last[0].describe())
                + "\n"
                + logTail(d));
    say.accept("  " + d.id() + ": ready (" + unit(d) + ", pid " + pid[0] + ")");
  }

  private static final String STATE = "--property=ActiveState,SubState,MainPID,NRestarts";

  /** The unit's state before and after its probe, and the probe's result, as one look. */
  record Look(Map<String, String> before, ExecResult probe, Map<String, String> after) {}

  // One SSH command a look (each is a round trip, four times a second while a daemon starts): the
  // unit's state, the probe with its output and exit code between markers (the second on a line of
  // its own even when the probe's output ends without a newline), the state again.
  private Look look(DaemonSpec d) {
    List<String> probe = d.readiness().command();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "u=$1; shift; systemctl show "
                    + STATE
                    + " \"$u\"; echo @@probe; \"$@\" 2>&1; printf '\\n"
                    + "@@exit %s\\n"
                    + "' $?; systemctl show "
                    + STATE
                    + " \"$u\"",
                "look",
                unit(d)));
    cmd.addAll(probe);
    ExecResult r = driver.exec(d.host(), cmd, null, Duration.ofSeconds(10));
    return parseLook(probe, r.stdout());
  }

  /**
   * A look's output: the state, {@code @@probe}, the probe's output, {@code @@exit N}, the state.
   */
  static Look parseLook(List<String> probe, String out) {
    Map<String, String> before = new HashMap<>();
    Map<String, String> after = new HashMap<>();
    StringBuilder said = new StringBuilder();
    int exit = -1;
    int part = 0;
    for (String line : out.lines().toList()) {
      if (part == 0 && line.equals("@@probe")) {
        part = 1;
      } else if (part == 1 && line.startsWith("@@exit ")) {
        try {
          exit = Integer.parseInt(line.substring("@@exit ".length()).strip());
        } catch (NumberFormatException e) {
          exit = -1;
        }
        part = 2;
      } else if (part == 1) {
        said.append(line).append('\n');
      } else {
        String[] kv = line.split("=", 2);
        if (kv.length == 2) {
          (part == 0 ? before : after).put(kv[0], kv[1]);
        }
      }
    }
    for (String k : List.of("ActiveState", "SubState", "MainPID", "NRestarts")) {
      before.putIfAbsent(k, "");
      after.putIfAbsent(k, "");
    }
    // The marker follows a newline of its own, since a probe's output may lack its last one.
    String text = said.toString().stripTrailing();
    return new Look(
        before, new ExecResult(probe, exit, text.isEmpty() ? "" : text + "\n", ""), after);
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
