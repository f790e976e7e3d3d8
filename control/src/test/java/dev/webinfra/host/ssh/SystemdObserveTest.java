package dev.webinfra.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What systemd's supervisor reads of a host's units in one command ({@link
 * SystemdSupervisor#observe}): the command runs here, in a real shell, with a stand-in {@code
 * systemctl} on the PATH and the fingerprint files in a directory of the test's.
 */
class SystemdObserveTest {
  @TempDir Path dir;

  // What the watching supervisor opened, ended after each test.
  static final List<Process> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void endOpened() {
    opened.forEach(Process::destroyForcibly);
    opened.clear();
  }

  @Test
  void oneCommandTellsEachUnitsStateAndWhatItWasStartedWith() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path systemctl = bin.resolve("systemctl");
    Files.writeString(
        systemctl,
        "#!/bin/sh\n"
            + "case \"$2\" in\n"
            + "  webinfra-up.service) echo active;;\n"
            + "  webinfra-busy.service) echo reloading;;\n"
            + "  *) echo inactive; exit 3;;\n"
            + "esac\n");
    systemctl.toFile().setExecutable(true);
    HostPaths paths = new HostPaths(dir.resolve("web1"));
    Files.createDirectories(paths.run());
    Fingerprint started =
        new Fingerprint(List.of("/usr/sbin/up", "-x"), Map.of("/etc/up.conf", "abc"));
    Files.writeString(Fingerprint.file(paths, "up"), started.json());
    Files.writeString(Fingerprint.file(paths, "busy"), "not json");

    AtomicInteger commands = new AtomicInteger();
    HostDriver driver = local(paths, bin, commands);
    SystemdSupervisor systemd = new SystemdSupervisor(driver, Poll.system(), line -> {});
    List<Supervisor.Observed> seen =
        systemd.observe(List.of(spec("up"), spec("busy"), spec("down")));

    assertThat(commands.get()).as("one command for the host").isEqualTo(1);
    assertThat(seen)
        .containsExactly(
            new Supervisor.Observed(true, java.util.Optional.of(started)),
            new Supervisor.Observed(true, java.util.Optional.empty()),
            new Supervisor.Observed(false, java.util.Optional.empty()));
  }

  @Test
  void oneCommandTellsWhichOfAHostsUnitsRunAndTheirPids() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path systemctl = bin.resolve("systemctl");
    // As systemd answers: a block for each unit in its own order of properties, a blank line
    // between blocks; a unit it does not know is inactive.
    Files.writeString(
        systemctl,
        "#!/bin/sh\n"
            + "[ \"$1\" = show ] && [ \"$2\" = --property=Id,ActiveState,MainPID ] || exit 1\n"
            + "shift 2; first=1\n"
            + "for u; do [ $first = 1 ] || echo; first=0; case \"$u\" in\n"
            + "  webinfra-up.service) echo MainPID=41; echo Id=$u; echo ActiveState=active;;\n"
            + "  webinfra-busy.service) echo MainPID=42; echo ActiveState=reloading; echo"
            + " Id=$u;;\n"
            + "  *) echo MainPID=0; echo Id=$u; echo ActiveState=inactive;;\n"
            + "esac; done\n");
    systemctl.toFile().setExecutable(true);
    AtomicInteger commands = new AtomicInteger();
    SystemdSupervisor systemd =
        new SystemdSupervisor(
            local(new HostPaths(dir.resolve("web1")), bin, commands), Poll.system(), line -> {});
    assertThat(systemd.instances(List.of(spec("down"), spec("up"), spec("busy"))))
        .containsExactly(
            java.util.Optional.empty(),
            java.util.Optional.of("webinfra-up.service, pid 41"),
            java.util.Optional.of("webinfra-busy.service, pid 42"));
    assertThat(commands.get()).as("one command for the host").isEqualTo(1);
    assertThat(systemd.instance(spec("busy"))).contains("webinfra-busy.service, pid 42");
    assertThat(systemd.instances(List.of())).isEmpty();
    assertThat(commands.get()).as("none for no unit").isEqualTo(2);
  }

  @Test
  void oneCommandTellsTheControllerWhichUnitsAreThereAndWhichRun() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path systemctl = bin.resolve("systemctl");
    Files.writeString(
        systemctl,
        "#!/bin/sh\n"
            + "[ \"$1\" = is-active ] || exit 1; shift; rc=0\n"
            + "for u; do case \"$u\" in\n"
            + "  webinfra-up.service) echo active;;\n"
            + "  webinfra-busy.service) echo reloading;;\n"
            + "  *) echo failed; rc=3;;\n"
            + "esac; done; exit $rc\n");
    systemctl.toFile().setExecutable(true);
    AtomicInteger commands = new AtomicInteger();
    SystemdSupervisor systemd =
        new SystemdSupervisor(
            local(new HostPaths(dir.resolve("web1")), bin, commands), Poll.system(), line -> {});
    // No unit of these names is in /etc/systemd/system here: none was started by systemd.
    List<Supervisor.Seen> seen = systemd.seen(List.of(spec("up"), spec("busy"), spec("down")));
    assertThat(commands.get()).as("one command for the host").isEqualTo(1);
    assertThat(seen)
        .containsExactly(
            new Supervisor.Seen(false, true),
            new Supervisor.Seen(false, true),
            new Supervisor.Seen(false, false));
  }

  @Test
  void theControllersLooksReadOneLongLivedCommandPerServer() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path flag = dir.resolve("busy-is-active");
    Path systemctl = bin.resolve("systemctl");
    Files.writeString(
        systemctl,
        "#!/bin/sh\n"
            + "[ \"$1\" = is-active ] || exit 1; shift; rc=0\n"
            + "for u; do case \"$u\" in\n"
            + "  webinfra-up.service) echo active;;\n"
            + "  webinfra-busy.service) if [ -e "
            + flag
            + " ]; then echo active; else echo activating; fi;;\n"
            + "  *) echo failed; rc=3;;\n"
            + "esac; done; exit $rc\n");
    systemctl.toFile().setExecutable(true);
    AtomicInteger commands = new AtomicInteger();
    // No control groups of systemd's: systemctl answers.
    SystemdSupervisor systemd =
        SystemdSupervisor.watching(
            local(new HostPaths(dir.resolve("web1")), bin, commands),
            Poll.system(),
            line -> {},
            List.of(dir.resolve("no-cgroups").toString()));
    List<DaemonSpec> ds = List.of(spec("up"), spec("busy"), spec("down"));
    assertThat(systemd.seen(ds))
        .containsExactly(
            new Supervisor.Seen(false, true),
            new Supervisor.Seen(false, false),
            new Supervisor.Seen(false, false));
    Files.writeString(flag, "");
    // The next answer, a second on, says what changed; no other command was started for it.
    assertThat(
            Poll.system()
                .within(
                    java.time.Duration.ofSeconds(5),
                    java.time.Duration.ofMillis(100),
                    () -> systemd.seen(ds).get(1).running()))
        .isTrue();
    assertThat(commands.get()).as("one command for the host, kept open").isEqualTo(1);
  }

  @Test
  void whereSystemdsControlGroupsAreAUnitRunsWhileItsGroupHoldsAProcess() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path systemctl = bin.resolve("systemctl");
    Files.writeString(systemctl, "#!/bin/sh\necho systemctl must not be asked >&2; exit 1\n");
    systemctl.toFile().setExecutable(true);
    Path slice = Files.createDirectories(dir.resolve("cgroup/system.slice"));
    Files.createDirectories(slice.resolve("webinfra-up.service"));
    Files.writeString(slice.resolve("webinfra-up.service/cgroup.procs"), "1234\n");
    Files.createDirectories(slice.resolve("webinfra-busy.service"));
    Files.writeString(slice.resolve("webinfra-busy.service/cgroup.procs"), "");
    AtomicInteger commands = new AtomicInteger();
    SystemdSupervisor systemd =
        SystemdSupervisor.watching(
            local(new HostPaths(dir.resolve("web1")), bin, commands),
            Poll.system(),
            line -> {},
            List.of(dir.resolve("none").toString(), slice.toString()));
    assertThat(systemd.seen(List.of(spec("up"), spec("busy"), spec("down"))))
        .as("up holds a process; busy's group is empty; down has none")
        .containsExactly(
            new Supervisor.Seen(false, true),
            new Supervisor.Seen(false, false),
            new Supervisor.Seen(false, false));
  }

  @Test
  void aStartIsAwaitedWithOneCommandALookAndSaysItsPid() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path ready = dir.resolve("ready");
    Path systemctl = bin.resolve("systemctl");
    Files.writeString(
        systemctl,
        "#!/bin/sh\n"
            + "[ \"$1\" = show ] || exit 1\n"
            + "echo ActiveState=active; echo SubState=running; echo MainPID=42; echo"
            + " NRestarts=0\n");
    systemctl.toFile().setExecutable(true);
    Files.writeString(ready, "1");
    AtomicInteger commands = new AtomicInteger();
    List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    SystemdSupervisor systemd =
        new SystemdSupervisor(
            local(new HostPaths(dir.resolve("web1")), bin, commands), Poll.system(), said::add);
    DaemonSpec spec =
        DaemonSpec.builder("web1", "up", List.of("/usr/sbin/up"), Path.of("/tmp/x.log"))
            .readiness(dev.webinfra.daemon.Readiness.file(ready))
            .build();
    systemd.awaitStarted(spec, java.time.Duration.ofSeconds(5));
    assertThat(commands.get()).as("the state, the probe and the state again: one command").isOne();
    assertThat(said).containsExactly("  web1/up: ready (webinfra-up.service, pid 42)");
  }

  @Test
  void aLookSplitsTheStatesFromTheProbesOutputAndExitCode() {
    List<String> probe = List.of("curl", "http://127.0.0.1:1/");
    SystemdSupervisor.Look look =
        SystemdSupervisor.parseLook(
            probe,
            "ActiveState=active\nSubState=running\nMainPID=7\nNRestarts=0\n@@probe\n"
                + "curl: (7) refused\n@@exit 7\n"
                + "ActiveState=activating\nSubState=auto-restart\nMainPID=0\nNRestarts=1\n");
    assertThat(look.before()).containsEntry("MainPID", "7").containsEntry("SubState", "running");
    assertThat(look.after()).containsEntry("NRestarts", "1").containsEntry("MainPID", "0");
    assertThat(look.probe()).isEqualTo(new ExecResult(probe, 7, "curl: (7) refused\n", ""));
    // A probe's output without its last newline: the marker is on a line of its own all the same.
    SystemdSupervisor.Look bare =
        SystemdSupervisor.parseLook(
            probe, "ActiveState=active\n@@probe\n200\n@@exit 0\nActiveState=active\nMainPID=7\n");
    assertThat(bare.probe()).isEqualTo(new ExecResult(probe, 0, "200\n", ""));
    assertThat(bare.after()).containsEntry("MainPID", "7");
    // Cut short (the connection lost, say): nothing known, and no restart counted.
    SystemdSupervisor.Look cut = SystemdSupervisor.parseLook(probe, "ActiveState=act");
    assertThat(cut.probe().ok()).isFalse();
    assertThat(cut.after()).containsEntry("NRestarts", "").containsEntry("ActiveState", "");
  }

  @Test
  void aRestartWhileStartingFailsTheWaitAtOnce() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path systemctl = bin.resolve("systemctl");
    Files.writeString(
        systemctl,
        "#!/bin/sh\n[ \"$1\" = show ] || exit 1\necho ActiveState=activating;"
            + " echo SubState=auto-restart; echo MainPID=0; echo NRestarts=2\n");
    systemctl.toFile().setExecutable(true);
    SystemdSupervisor systemd =
        new SystemdSupervisor(
            local(new HostPaths(dir.resolve("web1")), bin, new AtomicInteger()),
            Poll.system(),
            line -> {});
    long t0 = System.nanoTime();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> systemd.awaitStarted(spec("up"), java.time.Duration.ofSeconds(30)))
        .hasMessageStartingWith(
            "host web1: webinfra-up.service exited while starting; its journal:\n");
    assertThat(System.nanoTime() - t0).as("not the 30 s timeout").isLessThan(20_000_000_000L);
  }

  private static DaemonSpec spec(String name) {
    return DaemonSpec.builder("web1", name, List.of("/usr/sbin/" + name), Path.of("/tmp/x.log"))
        .build();
  }

  // A host that is this machine: paths() and exec() only; anything else fails the test.
  static HostDriver local(HostPaths paths, Path bin, AtomicInteger commands) {
    return (HostDriver)
        Proxy.newProxyInstance(
            HostDriver.class.getClassLoader(),
            new Class<?>[] {HostDriver.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "paths" -> paths;
                  case "open" -> {
                    commands.incrementAndGet();
                    @SuppressWarnings("unchecked")
                    List<String> cmd = (List<String>) args[1];
                    ProcessBuilder pb = new ProcessBuilder(cmd);
                    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
                    Process p = pb.start();
                    opened.add(p);
                    yield p;
                  }
                  case "exec" -> {
                    commands.incrementAndGet();
                    @SuppressWarnings("unchecked")
                    List<String> cmd = (List<String>) args[1];
                    yield run(cmd, bin);
                  }
                  default -> throw new AssertionError("observe must not call " + method.getName());
                });
  }

  private static ExecResult run(List<String> cmd, Path bin)
      throws IOException, InterruptedException {
    // A stand-in of bin runs in place of the machine's program of its name.
    List<String> argv = new java.util.ArrayList<>(cmd);
    if (Files.isExecutable(bin.resolve(argv.get(0)))) {
      argv.set(0, bin.resolve(argv.get(0)).toString());
    }
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new ExecResult(cmd, p.waitFor(), out, err);
  }
}
