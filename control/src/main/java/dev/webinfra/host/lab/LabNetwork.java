package dev.webinfra.host.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import dev.webinfra.host.Wire;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the lab's wiring: one bridge per network, one namespace per host with its own hostname,
 * and a veth from each host to each of its networks. Every step first looks at what exists, so
 * running it again converges and duplicates nothing.
 */
public final class LabNetwork {
  private final Topology topology;
  private final LabLayout layout;
  private final Consumer<String> progress;

  public LabNetwork(Topology topology, LabLayout layout, Consumer<String> progress) {
    this.topology = topology;
    this.layout = layout;
    this.progress = progress;
  }

  /** The wiring {@link #ensure} makes, each network and host with whether it is there yet. */
  public List<Wire> wiring() {
    Set<String> links = LabInventory.links();
    Set<String> namespaces = LabInventory.namespaces();
    List<Wire> out = new java.util.ArrayList<>();
    List<Network> networks = topology.networks();
    for (int n = 0; n < networks.size(); n++) {
      out.add(
          new Wire(
              Wire.Kind.NETWORK,
              networks.get(n).name(),
              links.contains(layout.bridge(n)),
              "no bridge " + layout.bridge(n)));
    }
    for (Host h : topology.hosts()) {
      out.add(
          new Wire(
              Wire.Kind.HOST,
              h.name(),
              namespaces.contains(layout.namespace(h.name())),
              "no namespace " + layout.namespace(h.name())));
    }
    return out;
  }

  /** Creates whatever of the wiring is missing; the links of {@code stopped} hosts stay down. */
  public void ensure(Set<String> stopped) {
    Set<String> links = LabInventory.links();
    Set<String> namespaces = LabInventory.namespaces();
    List<Network> networks = topology.networks();
    for (int n = 0; n < networks.size(); n++) {
      ensureBridge(networks.get(n), layout.bridge(n), links);
    }
    List<Host> hosts = topology.hosts();
    for (int h = 0; h < hosts.size(); h++) {
      Host host = hosts.get(h);
      ensureHost(host, namespaces);
      for (Attachment a : host.attachments()) {
        int n = networks.indexOf(topology.network(a.network()).orElseThrow());
        ensureLink(
            host, a, layout.veth(h, n), layout.bridge(n), links, !stopped.contains(host.name()));
      }
    }
  }

  private void ensureBridge(Network net, String bridge, Set<String> links) {
    if (!links.contains(bridge)) {
      progress.accept("network " + net.name() + ": bridge " + bridge + " (" + net.cidr() + ")");
      Shell.check("network " + net.name(), "ip", "link", "add", bridge, "type", "bridge");
    }
    Shell.check("network " + net.name(), "ip", "link", "set", bridge, "up");
    net.machineAddress()
        .ifPresent(
            a -> {
              String cidr = a + "/" + net.cidr().prefix();
              if (!Shell.run("ip", "-o", "addr", "show", "dev", bridge)
                  .stdout()
                  .contains(" " + cidr + " ")) {
                Shell.check("network " + net.name(), "ip", "addr", "add", cidr, "dev", bridge);
              }
            });
  }

  private void ensureHost(Host host, Set<String> namespaces) {
    String ns = layout.namespace(host.name());
    if (!namespaces.contains(ns)) {
      progress.accept("host " + host.name() + ": namespace " + ns);
      Shell.check("host " + host.name(), "ip", "netns", "add", ns);
    }
    Shell.check("host " + host.name(), "ip", "-n", ns, "link", "set", "lo", "up");
    Path uts = layout.utsFile(host.name());
    if (!LabInventory.mounts().contains(uts.toString())) {
      try {
        Files.createDirectories(uts.getParent());
        if (!Files.exists(uts)) {
          Files.createFile(uts);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("host " + host.name() + ": cannot create " + uts, e);
      }
      // unshare binds the new UTS namespace to the file, so it outlives this command.
      Shell.check("host " + host.name(), "unshare", "--uts=" + uts, "hostname", host.name());
    }
    ensureMounts(host.name(), ns);
  }

  // The host's mount namespace, made once as ip netns exec makes one for every command: a copy of
  // the machine's mounts as their slave (where the machine's are shared, its later mounts reach the
  // host too), with a /sys of the host's network namespace and the host's files over /etc.
  // Entering it costs a command about a third less.
  private void ensureMounts(String host, String ns) {
    Path mnt = layout.mountFile(host);
    Set<String> mounts = LabInventory.mounts();
    if (mounts.contains(mnt.toString())) {
      return;
    }
    Path dir = layout.mountDir();
    try {
      Files.createDirectories(dir);
      if (!mounts.contains(dir.toString())) {
        Shell.check("host " + host, "mount", "--bind", dir.toString(), dir.toString());
        Shell.check("host " + host, "mount", "--make-private", dir.toString());
      }
      if (!Files.exists(mnt)) {
        Files.createFile(mnt);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("host " + host + ": cannot create " + mnt, e);
    }
    ExecResult made =
        Shell.run(
            List.of(
                "nsenter",
                "--net=" + layout.namespaceFile(host),
                "unshare",
                "--mount=" + mnt,
                "--propagation",
                "slave",
                "sh",
                "-c",
                "umount -l /sys && mount -t sysfs " + ns + " /sys"),
            null,
            Duration.ofSeconds(20));
    if (!made.ok()) {
      // Without the file, commands enter the host through ip netns exec until the next up.
      Shell.run("umount", "-l", mnt.toString());
      try {
        Files.deleteIfExists(mnt);
      } catch (IOException e) {
        // down removes it with the lab's run directory.
      }
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot make its mount namespace: " + made.describe());
    }
    LabHostDriver.bindEtc(layout, host);
  }

  private void ensureLink(
      Host host, Attachment a, String veth, String bridge, Set<String> links, boolean up) {
    String ns = layout.namespace(host.name());
    String inner = a.network();
    boolean innerExists = Shell.run("ip", "-n", ns, "link", "show", inner).ok();
    if (!innerExists) {
      if (links.contains(veth)) {
        // Left by an interrupted run before its peer moved into the namespace: start again.
        Shell.run("ip", "link", "del", veth);
      }
      String tmp = "wt" + veth.substring(2);
      Shell.run("ip", "link", "del", tmp);
      progress.accept(
          "host " + host.name() + ": link " + inner + " " + a.address() + " on bridge " + bridge);
      Shell.check(
          "host " + host.name(), "ip", "link", "add", veth, "type", "veth", "peer", "name", tmp);
      Shell.check("host " + host.name(), "ip", "link", "set", tmp, "netns", ns);
      Shell.check("host " + host.name(), "ip", "-n", ns, "link", "set", tmp, "name", inner);
    }
    Shell.check("host " + host.name(), "ip", "link", "set", veth, "master", bridge, "up");
    Network net = topology.network(a.network()).orElseThrow();
    String cidr = a.address() + "/" + net.cidr().prefix();
    if (!Shell.run("ip", "-n", ns, "-o", "addr", "show", "dev", inner)
        .stdout()
        .contains(" " + cidr + " ")) {
      Shell.check("host " + host.name(), "ip", "-n", ns, "addr", "add", cidr, "dev", inner);
    }
    if (up) {
      Shell.check("host " + host.name(), "ip", "-n", ns, "link", "set", inner, "up");
    }
  }
}
