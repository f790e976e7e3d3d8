package dev.webinfra.render.dnsmasq;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.FirewallRule.Proto;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** dnsmasq, authoritative for the lab's zone, on every {@code dns} host. */
public final class DnsmasqUnit implements DaemonUnit {
  @Override
  public String name() {
    return "dnsmasq";
  }

  @Override
  public List<String> packages() {
    // Its readiness asks it with dig.
    return List.of("dnsmasq-base", "bind9-dnsutils");
  }

  @Override
  public boolean runsOn(Topology t, Host host) {
    return host.has(Role.DNS);
  }

  @Override
  public DaemonSpec spec(Topology t, Host host, HostPaths p) {
    return DaemonSpec.builder(
            host.name(),
            name(),
            List.of(
                "dnsmasq",
                "--keep-in-foreground",
                "--conf-file=" + p.etc().resolve("dnsmasq.conf")),
            p.log().resolve("dnsmasq-stdout.log"))
        .files(DnsmasqRenderer.render(t, host, p))
        .logs(p.log().resolve("dnsmasq.log"))
        // Ready when it really answers the site's name with the site's address.
        .readiness(
            Readiness.resolves(
                host.primaryAddress().toString(), t.siteFqdns().get(0), t.siteAddress().toString()))
        .build();
  }

  @Override
  public List<Flow> inbound(Topology t, Host host) {
    if (!runsOn(t, host)) {
      return List.of();
    }
    List<Flow> out = new ArrayList<>();
    for (Host h : t.hosts()) {
      if (!h.equals(host) && h.sharesNetworkWith(host)) {
        out.add(new Flow(h.name(), host.name(), 53, Proto.UDP, "DNS", Flow.Kind.DNS));
        out.add(new Flow(h.name(), host.name(), 53, Proto.TCP, "DNS", Flow.Kind.DNS));
      }
    }
    return out;
  }

  @Override
  public List<Listener> listeners(Topology t, Host host) {
    Set<Ipv4> all = DaemonUnit.allAddresses(host);
    return List.of(new Listener(name(), Proto.UDP, 53, all), Listener.tcp(name(), 53, all));
  }

  @Override
  public Optional<String> diagramLabel() {
    return Optional.of("(dnsmasq)");
  }

  @Override
  public List<GoldenCase> goldenCases() {
    return List.of(new GoldenCase("ha-cluster", "dns"), new GoldenCase("single-server", "dns"));
  }
}
