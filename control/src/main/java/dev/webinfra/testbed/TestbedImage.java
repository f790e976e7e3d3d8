package dev.webinfra.testbed;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.host.CacheLock;
import dev.webinfra.host.Shell;
import dev.webinfra.host.Trees;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The root file system every test-bed machine boots: Debian 12 with systemd, OpenSSH and every
 * package the topology's daemons need (the machines reach no package registry), made once by
 * mmdebstrap and kept under {@link #CACHE}, one per package list. None of the packages' own
 * services start on boot: what runs there is what {@code up} starts.
 */
public final class TestbedImage {
  /** Where images are kept between test beds; {@code testbed down --purge} removes it. */
  public static final Path CACHE = Path.of("/var/cache/webinfra/testbed");

  /** The Debian release the machines run, as Debian 12 servers do. */
  static final String SUITE = "bookworm";

  // A change to how an image is made changes every image's name, so no stale one is reused.
  private static final String RECIPE = "1";

  /** What every machine has, whatever its roles: systemd, sshd, sudo and the network tools. */
  static final List<String> BASE =
      List.of(
          "systemd",
          "systemd-sysv",
          "dbus",
          "libpam-systemd",
          "openssh-server",
          "sudo",
          "iproute2",
          // /etc/protocols and /etc/services, which every Debian server has (priority important):
          // nft resolves "vrrp" through it.
          "netbase",
          "nftables",
          "curl",
          "procps",
          "ca-certificates");

  // The only services a machine starts on boot besides systemd's own.
  private static final Set<String> KEPT = Set.of("ssh.service", "systemd-networkd.service");

  private final List<String> packages;

  private TestbedImage(List<String> packages) {
    this.packages = List.copyOf(packages);
  }

  /** The image with every package {@code t}'s hosts need. */
  public static TestbedImage of(Topology t) {
    TreeSet<String> all = new TreeSet<>(BASE);
    for (Host h : t.hosts()) {
      for (DaemonUnit u : Units.on(t, h)) {
        all.addAll(u.packages());
      }
      all.addAll(h.settings().app().packages());
    }
    return new TestbedImage(List.copyOf(all));
  }

  /** The packages it holds, sorted. */
  public List<String> packages() {
    return packages;
  }

  /** Its directory in the cache: named by its release, packages and recipe. */
  public Path dir() {
    String key =
        Fingerprint.sha256(SUITE + "\n" + String.join(" ", packages) + "\n" + RECIPE)
            .substring(0, 12);
    return CACHE.resolve(SUITE + "-" + key);
  }

  /** The root file system the machines boot. */
  public Path root() {
    return dir().resolve("root");
  }

  /** Whether it is made and complete. */
  public boolean ready() {
    return Files.isRegularFile(dir().resolve("ready"));
  }

  /**
   * Makes it unless the cache has it; returns its root. Another webinfra making the same image
   * (testbed prepare, run ahead by ./test) is waited for, not raced.
   */
  public Path ensure(PrintWriter out) {
    if (ready()) {
      out.println("testbed: image " + dir() + " (cached)");
      return root();
    }
    synchronized (TestbedImage.class) {
      return CacheLock.holding(
          dir().resolveSibling(dir().getFileName() + ".lock"),
          () -> {
            out.println("testbed: waiting for image " + dir() + ", which another webinfra makes");
            out.flush();
          },
          () -> {
            if (ready()) {
              out.println("testbed: image " + dir() + " (made meanwhile)");
              return root();
            }
            return make(out);
          });
    }
  }

  private Path make(PrintWriter out) {
    Path tmp = dir().resolve("root.tmp");
    try {
      Files.createDirectories(dir());
      Trees.delete(tmp);
      out.println(
          "testbed: making image "
              + dir()
              + " with mmdebstrap ("
              + packages.size()
              + " packages; a few minutes, once)");
      out.flush();
      Shell.check(
          "testbed: mmdebstrap " + SUITE,
          List.of(
              "mmdebstrap",
              "--mode=root",
              "--variant=apt",
              "--include=" + String.join(",", packages),
              SUITE,
              tmp.toString()),
          null,
          Duration.ofMinutes(30));
      customize(tmp);
      Trees.delete(root());
      Files.move(tmp, root());
      Files.writeString(dir().resolve("ready"), String.join("\n", packages) + "\n");
      return root();
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /**
   * Leaves a root that boots with only sshd and networkd of its own: every other service the
   * packages enabled is disabled, and the identity a machine gets (host name, host keys, machine
   * id) is removed, to be given to each machine.
   */
  static void customize(Path root) throws IOException {
    Path system = root.resolve("etc/systemd/system");
    List<Path> wants = new ArrayList<>();
    if (Files.isDirectory(system)) {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(system, "*.wants")) {
        dirs.forEach(wants::add);
      }
    }
    for (Path dir : wants) {
      String target = dir.getFileName().toString();
      if (!target.equals("multi-user.target.wants") && !target.equals("timers.target.wants")) {
        continue;
      }
      try (DirectoryStream<Path> links = Files.newDirectoryStream(dir)) {
        for (Path l : links) {
          if (!KEPT.contains(l.getFileName().toString())) {
            Files.delete(l);
          }
        }
      }
    }
    Shell.check(
        "testbed: enable systemd-networkd in the image",
        "systemctl",
        "--root=" + root,
        "enable",
        "systemd-networkd.service",
        "ssh.service");
    Files.deleteIfExists(root.resolve("etc/hostname"));
    try (DirectoryStream<Path> keys =
        Files.newDirectoryStream(root.resolve("etc/ssh"), "ssh_host_*")) {
      for (Path k : keys) {
        Files.delete(k);
      }
    }
    // Empty: systemd-nspawn gives each machine an id of its own.
    Files.writeString(root.resolve("etc/machine-id"), "");
  }

  /** Removes every cached image. */
  public static void purge(PrintWriter out) {
    if (Files.exists(CACHE)) {
      try {
        Trees.delete(CACHE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.println("testbed: removed the cached images in " + CACHE);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Trees.delete(p);
    } catch (IOException e) {
      // The failure that brought us here is the one to report.
    }
  }
}
