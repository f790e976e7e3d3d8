package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds labs on this machine: the current one (the last brought up) and the topology each came
 * from.
 */
public final class Labs {
  private static final Path STATE_ROOT = LabLayout.of("x").stateRoot();
  private static final Path CURRENT = STATE_ROOT.resolve("current");

  private Labs() {}

  /** Records {@code lab} as the one later commands act on by default. */
  public static void setCurrent(String lab) {
    try {
      Files.createDirectories(STATE_ROOT);
      Files.writeString(CURRENT, lab + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + lab + ": cannot write " + CURRENT + ": " + e.getMessage(), e);
    }
  }

  /** Forgets {@code lab} as current, and removes webinfra's top directories once no lab is left. */
  public static void forget(String lab) {
    try {
      if (current().filter(lab::equals).isPresent()) {
        Files.deleteIfExists(CURRENT);
      }
      // /etc/netns too: webinfra made it for the hosts' resolv.conf (ip netns itself does not).
      for (Path root : List.of(STATE_ROOT, LabLayout.of(lab).runRoot(), Path.of("/etc/netns"))) {
        if (Files.isDirectory(root)) {
          try (var s = Files.list(root)) {
            if (s.findAny().isEmpty()) {
              Files.delete(root);
            }
          }
        }
      }
    } catch (IOException e) {
      // Best effort: an empty directory left behind is harmless and the next down tries again.
    }
  }

  /** The current lab, if one was brought up and not taken down. */
  public static Optional<String> current() {
    try {
      return Files.exists(CURRENT)
          ? Optional.of(Files.readString(CURRENT).strip()).filter(s -> !s.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The lab a command should act on: the one named, else the current one. */
  public static String resolve(String named) {
    if (named != null) {
      return named;
    }
    return current()
        .orElseThrow(
            () ->
                WebinfraException.unexpectedState(
                    "no lab is up (nothing in "
                        + CURRENT
                        + "); bring one up with ./webinfra up, or name it with --lab"));
  }

  /** The topology a running lab was brought up from. */
  public static Topology topology(String lab) {
    Path copy = LabLayout.of(lab).topologyCopy();
    if (!Files.exists(copy)) {
      throw WebinfraException.unexpectedState("lab " + lab + " is not up (no " + copy + ")");
    }
    return TopologyLoader.load(copy);
  }
}
