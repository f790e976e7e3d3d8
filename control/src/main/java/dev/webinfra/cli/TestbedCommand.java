package dev.webinfra.cli;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.host.Trees;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.setup.HostSetup;
import dev.webinfra.setup.Privileges;
import dev.webinfra.testbed.Testbed;
import dev.webinfra.testbed.TestbedImage;
import dev.webinfra.testbed.TestbedLayout;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code testbed up|down|prepare}: booted Debian machines, one per host, to put a topology on over
 * SSH.
 */
@Command(
    name = "testbed",
    description =
        "Boot a Debian 12 machine (systemd-nspawn) for each host of a topology, to bring it up on"
            + " over SSH as on your own servers.",
    subcommands = {
      TestbedCommand.Up.class,
      TestbedCommand.Down.class,
      TestbedCommand.Prepare.class
    })
public final class TestbedCommand implements Runnable {
  /** What the test bed needs on this machine besides the lab's packages. */
  static final List<String> PACKAGES = List.of("mmdebstrap", "systemd-container", "openssh-client");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  // What up and prepare do first: the topology read (its errors before any other), root, and
  // this machine's packages for the test bed.
  static Topology begin(String verb, Path topology, PrintWriter out) {
    // A machine for every host the file lists, its spares too: scale brings them in later.
    Topology t = TopologyLoader.load(topology).withSparesAsHosts();
    Privileges.requireRoot(verb);
    new HostSetup(out).ensure(PACKAGES);
    return t;
  }

  /** {@code testbed up TOPOLOGY}. */
  @Command(
      name = "up",
      description =
          "Boot the machines and print, as the last line, the topology that reaches them over SSH.")
  public static final class Up implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPOLOGY", description = "A lab topology file.")
    Path topology;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Topology t = begin("testbed up", topology, out);
      new Testbed(new TestbedLayout(t.lab()), out, Poll.system()).up(t);
      return 0;
    }
  }

  /** {@code testbed prepare TOPOLOGY}. */
  @Command(
      name = "prepare",
      description =
          "Make ahead of time what takes minutes on a fresh machine: the machines' image for the"
              + " topology (mmdebstrap) and the servers' Java runtime (jlink); both are cached, and"
              + " a testbed up or up that needs one meanwhile waits for it. Boots nothing.")
  public static final class Prepare implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPOLOGY", description = "A lab topology file.")
    Path topology;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Topology t = begin("testbed prepare", topology, out);
      out.println("testbed: image ready in " + TestbedImage.of(t).ensure(out).getParent());
      out.println(
          "testbed: servers' Java runtime ready in "
              + LabDrivers.serversRuntime(s -> out.println("testbed: " + s)));
      return 0;
    }
  }

  /** {@code testbed down [--lab NAME] [--purge]}. */
  @Command(
      name = "down",
      description =
          "Stop every machine of the test bed and remove its bridges, mounts and keys; the image"
              + " stays cached unless --purge.")
  public static final class Down implements Callable<Integer> {
    @Option(
        names = "--lab",
        paramLabel = "NAME",
        description = "The test bed to take down (default: the only one up).")
    String lab;

    @Option(names = "--purge", description = "Remove the cached machine images too.")
    boolean purge;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Privileges.requireRoot("testbed down");
      PrintWriter out = spec.commandLine().getOut();
      String name = lab != null ? lab : onlyOne();
      TestbedLayout bed = new TestbedLayout(name);
      // A site still recorded here whose servers are this test bed's machines (its topology logs
      // in with the test bed's key) goes with them: nothing is left to take down, and a down of it
      // would only find them unreachable.
      SiteLayout site = LabDrivers.siteLayout(name);
      boolean siteOnIt = onTheBed(site, bed);
      new Testbed(bed, out, Poll.system()).down(purge);
      if (siteOnIt) {
        try {
          Trees.delete(site.labDir());
          Trees.deleteIfEmpty(site.labDir().getParent());
          Trees.deleteIfEmpty(site.labDir().getParent().getParent());
        } catch (IOException e) {
          throw WebinfraException.unexpectedState(
              "site "
                  + name
                  + ": cannot remove its record "
                  + site.labDir()
                  + ": "
                  + e.getMessage(),
              e);
        }
        out.println(
            "site "
                + name
                + ": forgotten here too: it ran on the test bed's machines (take a site down"
                + " before its test bed to see its own down checked)");
      }
      return 0;
    }

    private static boolean onTheBed(SiteLayout site, TestbedLayout bed) {
      try {
        return Files.isRegularFile(site.topologyCopy())
            && Files.readString(site.topologyCopy()).contains(bed.key().toString());
      } catch (IOException e) {
        return false;
      }
    }

    private static String onlyOne() {
      List<String> up = List.of();
      if (Files.isDirectory(TestbedLayout.ROOT)) {
        try (Stream<Path> s = Files.list(TestbedLayout.ROOT)) {
          up = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (up.size() == 1) {
        return up.get(0);
      }
      throw WebinfraException.invalidInput(
          up.isEmpty()
              ? "testbed down: no test bed is up"
              : "testbed down: "
                  + up.size()
                  + " test beds are up ("
                  + String.join(", ", up)
                  + "); name one with --lab");
    }
  }
}
