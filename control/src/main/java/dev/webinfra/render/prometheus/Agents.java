package dev.webinfra.render.prometheus;

import dev.webinfra.daemon.DaemonUnit.ScrapeTarget;
import dev.webinfra.daemon.Flow;
import dev.webinfra.daemon.Listener;
import dev.webinfra.daemon.Readiness;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;

/**
 * Which monitoring agents run where, and where they listen: only on a host with {@code
 * monitoring.agent}, and only on its addresses on networks it shares with a monitoring host, since
 * an exporter nobody can scrape is a port opened for nothing. One place for the units' listeners,
 * scrape targets and flows, so they cannot disagree.
 */
public final class Agents {
  /** Prometheus's port. */
  public static final int PROMETHEUS_PORT = 9090;

  /** The Debian packages' system user, which every monitoring daemon runs as. */
  public static final String USER = "prometheus";

  private Agents() {}

  /** The monitoring hosts that share a network with {@code h}, so can scrape it. */
  public static List<Host> monitorsOf(Topology t, Host h) {
    return t.hostsWith(Role.MONITOR).stream().filter(m -> m.sharesNetworkWith(h)).toList();
  }

  /** Whether {@code h} runs agents: it asks for them and some monitoring host can reach it. */
  public static boolean runsAgents(Topology t, Host h) {
    return h.settings().monitoring().agent() && !monitorsOf(t, h).isEmpty();
  }

  /**
   * Whether {@code monitor} scrapes {@code h}'s agents: {@code h} runs them and they share a
   * network.
   */
  public static boolean scrapedBy(Topology t, Host h, Host monitor) {
    return runsAgents(t, h) && h.sharesNetworkWith(monitor);
  }

  /**
   * The target of an agent of {@code job} on {@code port} of {@code h}, at {@code h}'s address on
   * the network it shares with {@code monitor}, when {@code monitor} scrapes {@code h}.
   */
  public static List<ScrapeTarget> target(String job, Topology t, Host h, Host monitor, int port) {
    return scrapedBy(t, h, monitor)
        ? List.of(ScrapeTarget.of(job, h, h.addressFor(monitor).toString(), port, false))
        : List.of();
  }

  /**
   * Where {@code h}'s agents listen: its address on each network it shares with a monitoring host,
   * in the order of its attachments.
   */
  public static List<Ipv4> listenAddresses(Topology t, Host h) {
    List<Host> monitors = monitorsOf(t, h);
    return h.attachments().stream()
        .filter(a -> monitors.stream().anyMatch(m -> m.address(a.network()).isPresent()))
        .map(Attachment::address)
        .toList();
  }

  /**
   * The scrapes of an agent on {@code port} of {@code h}: one flow from each monitoring host, when
   * {@code h} asks for agents. Every monitoring host counts, also one that shares no network with
   * {@code h}: the design check reports that gap.
   */
  public static List<Flow> scrapes(Topology t, Host h, int port, String purpose) {
    if (!h.settings().monitoring().agent()) {
      return List.of();
    }
    return t.hostsWith(Role.MONITOR).stream()
        .filter(m -> !m.equals(h))
        .map(m -> Flow.tcp(m.name(), h.name(), port, purpose, Flow.Kind.MONITORING))
        .toList();
  }

  /** An agent's socket: {@code port} on each of {@link #listenAddresses}. */
  public static List<Listener> listener(String daemon, Topology t, Host h, int port) {
    return List.of(Listener.tcp(daemon, port, java.util.Set.copyOf(listenAddresses(t, h))));
  }

  /** The readiness probe of an agent: its metrics page answers. */
  public static Readiness readiness(String metricsUrl) {
    return Readiness.http(metricsUrl);
  }
}
