package dev.webinfra.render.keepalived;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.daemon.Reload;
import dev.webinfra.daemon.Step;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.witness.WitnessUnit;
import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** keepalived on every {@code lb} host of a design with a floating IP. */
public final class KeepalivedUnit implements DaemonUnit {
  /** The unit's name. */
  public static final String NAME = "keepalived";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> packages() {
    return List.of("keepalived");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.LB) && t.vip().isPresent();
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    String pid = p.run().resolve("keepalived.pid").toString();
    String vrrpPid = p.run().resolve("keepalived-vrrp.pid").toString();
    return DaemonSpec.builder(
            host.name(),
            name(),
            List.of(
                "keepalived",
                "--dont-fork",
                "--log-console",
                "--log-detail",
                "--vrrp",
                "--use-file=" + p.etc().resolve("keepalived.conf"),
                "--pid=" + pid,
                "--vrrp_pid=" + vrrpPid),
            p.log().resolve("keepalived.log"))
        .files(KeepalivedRenderer.render(t, host, p))
        // No keepalived --config-test: it writes its log into the file it tests. Its VRRP child
        // outlives a killed parent for a moment, and a new keepalived that sees it will not start.
        .beforeStart(
            Step.of(
                "end keepalived's leftover processes",
                "sh",
                "-c",
                "for f in "
                    + pid
                    + " "
                    + vrrpPid
                    + "; do p=$(cat $f 2>/dev/null) || continue; kill -9 $p 2>/dev/null;"
                    + " while kill -0 $p 2>/dev/null; do sleep 0.02; done; done; true"))
        // A keepalived killed with SIGKILL leaves the floating IP on its link: no other process
        // would remove it, and this LB would hold it alongside the new holder until keepalived,
        // started again, saw its peer.
        .beforeStart(
            Step.of(
                "drop a floating IP left by a killed keepalived",
                "sh",
                "-c",
                "ip -4 addr del "
                    + vipCidr(t)
                    + " dev "
                    + t.vip().orElseThrow().network()
                    + " 2>/dev/null; true"))
        // Held out of the IP until the guard has asked the witness: an LB back from a power cut
        // must not take the IP before it knows who holds it. Here and not keepalived's init_file
        // overwrite, which a reload (HUP) would apply too, and move the IP.
        .beforeStart(
            Step.of(
                "hold this LB out of the floating IP until the witness answers",
                "sh",
                "-c",
                WitnessUnit.host(t).isPresent()
                    ? "mkdir -p " + p.run() + " && echo 1 > " + KeepalivedRenderer.witnessFile(p)
                    : "true"))
        // A stale state file would report a MASTER that no longer is: the notify script writes
        // the new one on the first transition.
        .beforeStart(
            Step.of(
                "forget the last VRRP state",
                "rm",
                "-f",
                KeepalivedRenderer.vrrpStateFile(p).toString()))
        .dir(p.textfiles(), null)
        .after("haproxy")
        .readiness(Readiness.pidFile(Path.of(vrrpPid)))
        .reload(Reload.signal("HUP"))
        .build();
  }

  /** The floating IP with its network's prefix, as keepalived adds it. */
  static String vipCidr(Topology t) {
    var vip = t.vip().orElseThrow();
    return vip.address() + "/" + t.network(vip.network()).orElseThrow().cidr().prefix();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    if (!runsOn(t, host)) {
      return List.of();
    }
    return t.hostsWith(Role.LB).stream()
        .filter(peer -> !peer.equals(host))
        .map(
            peer ->
                new Flow(
                    peer.name(),
                    host.name(),
                    0,
                    Proto.VRRP,
                    "VRRP adverts for the floating IP",
                    Flow.Kind.VRRP))
        .toList();
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    return List.of(new Listener(name(), Proto.VRRP, 0, DaemonUnit.allAddresses(host)));
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("keepalived (VRRP)");
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "lb1"), new GoldenCase("ha-cluster", "lb2"));
  }
}
