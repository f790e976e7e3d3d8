package dev.webinfra.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds labs on this machine: those up, the one a command without {@code --lab} acts on (the only
 * one up), and the topology each came from.
 */
public final class Labs {
  private static final Path STATE_ROOT = LabDrivers.LAB.stateRoot();
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

  /**
   * Forgets {@code lab} as current, and removes the state root once no lab is left (the driver's
   * own top directories went with its {@code down}).
   */
  public static void forget(String lab) {
    try {
      if (current().filter(lab::equals).isPresent()) {
        Files.deleteIfExists(CURRENT);
      }
      dev.webinfra.host.Trees.deleteIfEmpty(STATE_ROOT);
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

  /**
   * The lab a command should act on: the one named, else the only lab up. With more than one up it
   * refuses rather than guess: the last one brought up may be another process's (a test suite's).
   */
  public static String resolve(String named) {
    return choose(named, up());
  }

  /**
   * The labs up on this machine: those with a state directory (not the sites' and test beds'), and
   * the one recorded as current (it is written before that directory, so that down finds a lab
   * whose up was killed early), sorted.
   */
  public static SortedSet<String> up() {
    SortedSet<String> labs = new TreeSet<>();
    if (Files.isDirectory(STATE_ROOT)) {
      try (Stream<Path> s = Files.list(STATE_ROOT)) {
        s.filter(Files::isDirectory)
            .map(d -> d.getFileName().toString())
            .filter(name -> !Topology.RESERVED_LAB_NAMES.contains(name))
            .forEach(labs::add);
      } catch (IOException e) {
        throw WebinfraException.unexpectedState(
            "cannot list the labs in " + STATE_ROOT + ": " + e.getMessage(), e);
      }
    }
    current().ifPresent(labs::add);
    return labs;
  }

  /**
   * The decision of {@link #resolve}: {@code named} if given, else the one lab in {@code up}, else
   * an error that says why (none up, or which are up).
   */
  static String choose(String named, SortedSet<String> up) {
    if (named != null) {
      return named;
    }
    if (up.size() == 1) {
      return up.first();
    }
    if (up.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "no lab is up (nothing in " + STATE_ROOT + "); bring one up with ./webinfra up");
    }
    throw WebinfraException.invalidInput(
        up.size()
            + " labs are up ("
            + String.join(", ", up)
            + "): name the one to act on with --lab NAME");
  }

  /** The topology a running lab was brought up from. */
  public static Topology topology(String lab) {
    return topology(LabDrivers.LAB.layout(lab));
  }

  /** The topology the site laid out as {@code layout} was brought up from. */
  public static Topology topology(SiteLayout layout) {
    String lab = layout.lab();
    Path copy = layout.topologyCopy();
    if (!Files.exists(copy)) {
      throw WebinfraException.unexpectedState("lab " + lab + " is not up (no " + copy + ")");
    }
    try {
      Path base = baseFile(layout);
      return Files.isRegularFile(base)
          ? TopologyLoader.load(copy, Path.of(Files.readString(base).strip()))
          : TopologyLoader.load(copy);
    } catch (java.io.IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + lab + ": cannot read " + baseFile(layout) + ": " + e.getMessage(), e);
    }
  }

  /** Where the directory of the file a lab was brought up from is kept. */
  static Path baseFile(SiteLayout layout) {
    return layout.labDir().resolve("topology.base");
  }
}
