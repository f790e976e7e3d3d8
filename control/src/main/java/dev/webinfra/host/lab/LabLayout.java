package dev.webinfra.host.lab;

import dev.webinfra.host.SiteLayout;
import java.nio.file.Path;

/**
 * Where a lab's things live and what they are called. Every name carries the lab's name, so that
 * {@code down} can find all of them again from the name alone, even after a crash.
 */
public record LabLayout(String lab, Path stateRoot, Path runRoot) implements SiteLayout {

  /** Where every lab's state directory is on this machine. */
  public static final Path STATE_ROOT = Path.of("/var/lib/webinfra");

  /** Where every lab's runtime directory is on this machine. */
  public static final Path RUN_ROOT = Path.of("/run/webinfra");

  /** The layout on this machine: state under /var/lib/webinfra, runtime under /run/webinfra. */
  public static LabLayout of(String lab) {
    return new LabLayout(lab, STATE_ROOT, RUN_ROOT);
  }

  /** The network namespace of a host: {@code <lab>-<host>}. */
  public String namespace(String host) {
    return lab + "-" + host;
  }

  /** Where {@code ip netns} binds the network namespaces it names. */
  static final Path NETNS_DIR = Path.of("/run/netns");

  /** The file a host's network namespace is bound to. */
  public Path namespaceFile(String host) {
    return NETNS_DIR.resolve(namespace(host));
  }

  /** Whether a host's namespace exists: a file test, cheap enough for every tick of a loop. */
  public boolean namespaceExists(String host) {
    return java.nio.file.Files.exists(namespaceFile(host));
  }

  @Override
  public boolean controllerRunning() {
    return controllerPid().isPresent();
  }

  /** The pid of the lab's controller process, if it runs. */
  public java.util.Optional<Long> controllerPid() {
    try {
      Path f = labDir().resolve("controller.pid");
      if (!java.nio.file.Files.exists(f)) {
        return java.util.Optional.empty();
      }
      long pid = Long.parseLong(java.nio.file.Files.readString(f).strip());
      return LabInventory.exited(pid) ? java.util.Optional.empty() : java.util.Optional.of(pid);
    } catch (java.io.IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** Records {@code pid} as the lab's controller. */
  public void registerController(long pid) {
    Path f = labDir().resolve("controller.pid");
    try {
      java.nio.file.Files.writeString(f, pid + "\n");
    } catch (java.io.IOException e) {
      throw dev.webinfra.WebinfraException.unexpectedState(
          "lab " + lab + ": cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  /** The lab's event log: what the controller and operators did. */
  public Path eventLog() {
    return labDir().resolve("events.log");
  }

  /** The lab CA's certificate, public, for a browser or curl on the machine. */
  public Path caCertificate() {
    return labDir().resolve("ca.crt");
  }

  /** The prefix every namespace of this lab starts with. */
  public String namespacePrefix() {
    return lab + "-";
  }

  /** A network's bridge: {@code wb<lab>.<index>}, at most 12 bytes. */
  public String bridge(int networkIndex) {
    return "wb" + lab + "." + networkIndex;
  }

  /**
   * The machine-side end of a host's veth on a network: {@code wv<lab>.<host>.<net>}, at most 15
   * bytes.
   */
  public String veth(int hostIndex, int networkIndex) {
    return "wv" + lab + "." + hostIndex + "." + networkIndex;
  }

  /**
   * Whether a link is this lab's: a bridge, a veth, or a veth's peer not yet moved into its host.
   */
  public boolean ownsLink(String name) {
    return name.startsWith("wb" + lab + ".")
        || name.startsWith("wv" + lab + ".")
        || name.startsWith("wt" + lab + ".");
  }

  /** The lab's state directory: topology copy, secrets and one directory per host. */
  public Path labDir() {
    return stateRoot.resolve(lab);
  }

  /** Per-lab secrets, 0700, files 0600. */
  public Path secretsDir() {
    return labDir().resolve("secrets");
  }

  /** The topology this lab was brought up from. */
  public Path topologyCopy() {
    return labDir().resolve("topology.yaml");
  }

  /** A host's paths, all under its directory ({@link #hostDir}). */
  public dev.webinfra.host.HostPaths host(String host) {
    return new dev.webinfra.host.HostPaths(hostDir(host));
  }

  /** The directory that holds everything of a host's. */
  public Path hostDir(String host) {
    return labDir().resolve("hosts").resolve(host);
  }

  /** The lab's runtime directory: the persistent UTS and mount namespaces. */
  public Path runDir() {
    return runRoot.resolve(lab);
  }

  /**
   * The file a host's UTS namespace is bound to, so that every process in the host shares its
   * hostname.
   */
  public Path utsFile(String host) {
    return runDir().resolve("uts").resolve(host);
  }

  /**
   * The directory the hosts' mount namespaces are bound in: a mount of its own, private, since the
   * kernel binds a mount namespace only where no mount propagates.
   */
  public Path mountDir() {
    return runDir().resolve("mnt");
  }

  /**
   * The file a host's mount namespace is bound to: made once, with the host's own /sys and its
   * files of {@link #netnsEtc} over /etc, so that a command enters it instead of making one as
   * {@code ip netns exec} does for each.
   */
  public Path mountFile(String host) {
    return mountDir().resolve(host);
  }

  /**
   * Mounted over /etc in the host's mount namespace, as {@code ip netns exec} would (resolv.conf,
   * hosts).
   */
  public Path netnsEtc(String host) {
    return Path.of("/etc/netns").resolve(namespace(host));
  }
}
