package dev.webinfra.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a test bed keeps its things and what it names them, so that {@code down} finds each one
 * again: its directory (keys, known_hosts, the SSH topology, one directory per machine), its
 * bridges ({@code tb-LAB-N}), the machine-side ends of its links ({@code tbLABxHnN}), its machines
 * ({@code LAB-HOST}), their cgroups, and the machine's guard table.
 */
public record TestbedLayout(String lab) {
  /** Where test beds keep their state. */
  public static final Path ROOT = Path.of("/var/lib/webinfra/testbed");

  // The machine has no systemd to make cgroups for nspawn: these hierarchies get ours. Where the
  // cpu controller has a hierarchy of its own (cgroup v1), the machines go under one cpu cgroup
  // too: together they weigh as one process of this machine's, not as one per service they run,
  // so that a test bed beside other work (a developer's, a test suite's labs) takes what that
  // leaves of the CPU instead of slowing it down.
  private static final List<Path> CGROUP_ROOTS =
      Stream.of("unified", "systemd", "cpu")
          .map(Path.of("/sys/fs/cgroup")::resolve)
          .filter(r -> !r.endsWith("cpu") || Files.isRegularFile(r.resolve("cpu.shares")))
          .toList();

  /** The test bed's directory. */
  public Path dir() {
    return ROOT.resolve(lab);
  }

  /** The private key that logs in as root on every machine. */
  public Path key() {
    return dir().resolve("id_ed25519");
  }

  /** The machines' host keys, by address. */
  public Path knownHosts() {
    return dir().resolve("known_hosts");
  }

  /** The topology that reaches the machines over SSH. */
  public Path topology() {
    return dir().resolve("topology.yaml");
  }

  /** The machines' directories. */
  public Path machines() {
    return dir().resolve("machines");
  }

  /** One machine's directory: its overlay's layers, its nspawn's pid, its console. */
  public Path machine(String host) {
    return machines().resolve(host);
  }

  /** The machine's name for systemd-nspawn. */
  public String machineName(String host) {
    return lab + "-" + host;
  }

  /** The names of this test bed's bridges start so. */
  public String bridgePrefix() {
    return "tb-" + lab + "-";
  }

  /** The bridge of the topology's network number {@code network}. */
  public String bridge(int network) {
    return bridgePrefix() + network;
  }

  /**
   * A link of host number {@code host} on network number {@code network}: its end on the machine
   * ({@code outside}) or in the test-bed machine. At most 15 bytes: 2 + 8 + 1 + 2 + 1 + 1.
   */
  public String veth(int host, int network, boolean outside) {
    return "tb" + lab + (outside ? "x" : "y") + host + "n" + network;
  }

  /**
   * The hardware address of host number {@code host}'s link on network number {@code network}, in
   * the test-bed machine: the same every time the link is made, as a server's network card keeps
   * its own. A power cut makes the link anew; with a new address, every neighbour (this machine,
   * the other machines) would send to the old one until its cache entry failed, up to about 25 s.
   * Locally administered and unicast ({@code 02:}), then two bytes of the test bed's name, the host
   * and the network.
   */
  public String mac(int host, int network) {
    int h = lab.hashCode();
    return String.format(
        "02:%02x:%02x:%02x:%02x:00", (h >>> 8) & 0xff, h & 0xff, host & 0xff, network & 0xff);
  }

  /** Whether a link of the machine is this test bed's (a bridge, or a link's end). */
  public boolean isOurs(String link) {
    return link.startsWith(bridgePrefix()) || link.matches("tb" + lab + "[xy]\\d{1,2}n\\d");
  }

  /** The machine's guard table (inet family). */
  public String nftTable() {
    return "webinfra-tb-" + lab;
  }

  /** The cgroups a machine's nspawn runs in. */
  public List<Path> cgroups(String host) {
    return cgroupParents().stream().map(p -> p.resolve(machineName(host))).toList();
  }

  /** The cgroups that hold every test bed's machines. */
  public List<Path> cgroupParents() {
    return CGROUP_ROOTS.stream().map(r -> r.resolve("webinfra-testbed")).toList();
  }
}
