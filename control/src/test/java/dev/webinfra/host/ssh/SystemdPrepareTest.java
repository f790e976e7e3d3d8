package dev.webinfra.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.wait.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SystemdSupervisor#prepare}: a service's directories and its steps before a start, run in a
 * real shell on a host that is this machine, and no unit written or started (the driver fails the
 * test on any write).
 */
class SystemdPrepareTest {
  @TempDir Path dir;

  @Test
  void theDirectoriesAreMadeAndTheStepsRunAndNothingStarts() throws Exception {
    HostPaths paths = new HostPaths(dir.resolve("web1"));
    Path data = paths.data().resolve("mysql");
    Path made = data.resolve("initialised");
    DaemonSpec spec =
        DaemonSpec.builder("web1", "db", List.of("/usr/sbin/db"), paths.log().resolve("db.log"))
            .dir(data, null)
            .beforeStart(
                Step.of(
                    "initialise the datadir",
                    "sh",
                    "-c",
                    "test -e " + made + " || echo once >> " + made))
            .build();
    AtomicInteger commands = new AtomicInteger();
    HostDriver driver = SystemdObserveTest.local(paths, dir.resolve("bin"), commands);
    SystemdSupervisor systemd = new SystemdSupervisor(driver, Poll.system(), line -> {});

    systemd.prepare(spec);
    systemd.prepare(spec);

    assertThat(Files.readString(made)).as("a step that does nothing once done").isEqualTo("once\n");
    assertThat(paths.run()).as("its working directory").isDirectory();
    assertThat(commands.get()).as("two commands a prepare: the directories, the step").isEqualTo(4);
  }

  @Test
  void aFailingStepIsNamedOnOneLine() {
    HostPaths paths = new HostPaths(dir.resolve("web1"));
    DaemonSpec spec =
        DaemonSpec.builder("web1", "db", List.of("/usr/sbin/db"), paths.log().resolve("db.log"))
            .beforeStart(Step.of("initialise the datadir", "sh", "-c", "echo no room >&2; exit 3"))
            .build();
    SystemdSupervisor systemd =
        new SystemdSupervisor(
            SystemdObserveTest.local(paths, dir.resolve("bin"), new AtomicInteger()),
            Poll.system(),
            line -> {});

    assertThatThrownBy(() -> systemd.prepare(spec))
        .isInstanceOf(WebinfraException.class)
        .hasMessageStartingWith("web1/db: initialise the datadir failed: ")
        .hasMessageContaining("no room");
  }
}
