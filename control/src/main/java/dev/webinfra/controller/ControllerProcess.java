package dev.webinfra.controller;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.wait.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts and stops a lab's controller process. Commands that change daemons themselves ({@code up},
 * {@code start}, {@code db promote}) pause it around their work, so the two never race.
 */
public final class ControllerProcess {
  private ControllerProcess() {}

  /** The controller's pid, if it runs. */
  public static Optional<Long> pid(SiteLayout layout) {
    return layout.controllerPid();
  }

  /** Starts the controller unless it runs. */
  public static void ensureRunning(SiteLayout layout) {
    if (pid(layout).isPresent()) {
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
    Poll.system()
        .until(
            "lab " + layout.lab() + ": the controller starting",
            Duration.ofSeconds(10),
            Duration.ofMillis(20),
            () -> pid(layout).isPresent(),
            () -> "see " + layout.labDir().resolve("controller.log"));
  }

  /** Stops the controller and waits until it is gone. */
  public static void stop(SiteLayout layout) {
    pid(layout)
        .flatMap(ProcessHandle::of)
        .ifPresent(
            p -> {
              // Polled, not onExit(): for a process that is not our child the JDK polls slowly.
              Poll poll = Poll.system();
              p.destroy();
              if (!poll.within(
                  Duration.ofSeconds(5), Duration.ofMillis(10), () -> layout.exited(p.pid()))) {
                // A controller stuck in a recovery: kill it, and still return once it is gone.
                p.destroyForcibly();
                poll.within(
                    Duration.ofSeconds(5), Duration.ofMillis(10), () -> layout.exited(p.pid()));
              }
            });
  }

  /**
   * Runs {@code work} with the controller paused, and starts it again afterwards if it was running.
   */
  public static <T> T paused(SiteLayout layout, Supplier<T> work) {
    boolean wasRunning = pid(layout).isPresent();
    stop(layout);
    try {
      return work.get();
    } finally {
      if (wasRunning && Files.exists(layout.topologyCopy())) {
        ensureRunning(layout);
      }
    }
  }

  /** As {@link #paused(SiteLayout, Supplier)}, for work with no result. */
  public static void paused(SiteLayout layout, Runnable work) {
    paused(
        layout,
        () -> {
          work.run();
          return null;
        });
  }

  /** Writes this process's pid as the controller's. */
  public static void register(SiteLayout layout) {
    layout.registerController(ProcessHandle.current().pid());
  }
}
