package dev.webinfra.host.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteController;
import dev.webinfra.wait.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The lab's controller: a background JVM on this machine, running {@code webinfra controller --lab
 * NAME}, tracked by the pid file in the lab's directory.
 */
public final class LabController implements SiteController {
  private final LabLayout layout;
  private final Poll poll;

  /** The controller of the lab laid out as {@code layout}, waiting on {@code poll}. */
  public LabController(LabLayout layout, Poll poll) {
    this.layout = layout;
    this.poll = poll;
  }

  private Optional<Long> pid() {
    return layout.controllerPid();
  }

  @Override
  public boolean isRunning() {
    return pid().isPresent();
  }

  @Override
  public void ensureRunning() {
    if (isRunning()) {
      return;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-XX:+UseSerialGC",
            "-Xmx96m",
            "-XX:TieredStopAtLevel=1",
            // The lab's directory on the command line lets down find this process even without its
            // pid file.
            "-Dwebinfra.lab.dir=" + layout.labDir() + "/",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.webinfra.cli.Main",
            "controller",
            "--lab",
            layout.lab());
    List<String> full = new java.util.ArrayList<>(List.of("setsid", "--fork"));
    full.addAll(cmd);
    ProcessBuilder pb =
        new ProcessBuilder(full)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    layout.labDir().resolve("controller.log").toFile()))
            .redirectErrorStream(true);
    try {
      pb.start().waitFor();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot start the controller: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": interrupted starting the controller", e);
    }
    poll.until(
        "lab " + layout.lab() + ": the controller starting",
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        () -> isRunning(),
        () -> "see " + layout.labDir().resolve("controller.log"));
  }

  @Override
  public void stop() {
    pid()
        .flatMap(ProcessHandle::of)
        .ifPresent(
            p -> {
              // Polled, not onExit(): for a process that is not our child the JDK polls slowly.
              p.destroy();
              if (!poll.within(
                  Duration.ofSeconds(5),
                  Duration.ofMillis(10),
                  () -> LabInventory.exited(p.pid()))) {
                // A controller stuck in a recovery: kill it, and still return once it is gone.
                p.destroyForcibly();
                poll.within(
                    Duration.ofSeconds(5),
                    Duration.ofMillis(10),
                    () -> LabInventory.exited(p.pid()));
              }
            });
  }

  @Override
  public void registerSelf() {
    layout.registerController(ProcessHandle.current().pid());
  }

  @Override
  public boolean siteIsUp() {
    return Files.exists(layout.topologyCopy());
  }
}
