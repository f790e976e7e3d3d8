package dev.webinfra.render.prometheus;

import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.render.nginx.NginxRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one monitoring host scrapes, derived from the model: every agent it can reach, by job. The
 * {@code instance} label of every target is the host's name, so alerts and graphs name hosts, not
 * addresses.
 */
public final class ScrapeTargets {
  /** The jobs, in the order the scrape config lists them. */
  public static final List<String> JOBS =
      List.of("prometheus", "node", "mysqld", "nginx", "haproxy", "app");

  /** One target: a host's agent of a job, at an address, over a scheme. */
  public record Target(String job, String host, String address, int port, boolean tls) {
    public Target {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(address, "address");
    }

    /** {@code address:port}. */
    public String endpoint() {
      return address + ":" + port;
    }
  }

  private ScrapeTargets() {}

  /** Every target of {@code monitor}, by job then host in file order. */
  public static List<Target> of(Topology t, Host monitor) {
    List<Target> out = new ArrayList<>();
    out.add(
        new Target(
            "prometheus",
            monitor.name(),
            monitor.primaryAddress().toString(),
            Agents.PROMETHEUS_PORT,
            false));
    List<Host> agents =
        t.hosts().stream()
            .filter(h -> Agents.runsAgents(t, h) && h.sharesNetworkWith(monitor))
            .toList();
    for (Host h : agents) {
      out.add(target("node", h, monitor, Agents.NODE_EXPORTER_PORT, false));
    }
    for (Host h : agents) {
      if (h.has(Role.DB)) {
        out.add(target("mysqld", h, monitor, Agents.MYSQLD_EXPORTER_PORT, false));
      }
    }
    for (Host h : agents) {
      if (h.has(Role.WEB)) {
        out.add(target("nginx", h, monitor, Agents.NGINX_EXPORTER_PORT, false));
      }
    }
    for (Host h : agents) {
      if (h.has(Role.LB)) {
        // HAProxy serves its exporter where it serves its stats page.
        out.add(
            new Target(
                "haproxy",
                h.name(),
                HaproxyRenderer.backAddress(t, h),
                Agents.HAPROXY_EXPORTER_PORT,
                false));
      }
    }
    boolean appTls = t.tls().enabled() && t.tls().backend();
    for (Host h : agents) {
      // The app listens on loopback only; nginx proxies its /metrics like every other path.
      if (h.has(Role.WEB) && h.has(Role.APP)) {
        out.add(target("app", h, monitor, NginxRenderer.port(t, h), appTls));
      }
    }
    return List.copyOf(out);
  }

  private static Target target(String job, Host h, Host monitor, int port, boolean tls) {
    return new Target(job, h.name(), h.addressFor(monitor).toString(), port, tls);
  }
}
