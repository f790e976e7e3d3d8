package dev.webinfra.dashboard;

import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fixed dashboard data for a topology: web2 powered off, lb1 holding the floating IP, one alert
 * firing, one open incident (HostDown web2) and one resolved recently (ReplicaLagging web3), and
 * for each query a series per host (or per server) shaped like Prometheus's answer.
 */
final class TestDashboardData implements DashboardData {
  private static final Pattern BY = Pattern.compile("by \\((\\w+)");
  private final Topology topology;

  TestDashboardData(Topology topology) {
    this.topology = topology;
  }

  @Override
  public DashboardStatus status() {
    List<DashboardStatus.HostState> hosts =
        topology.hosts().stream()
            .map(
                h -> {
                  boolean off = h.name().equals("web2");
                  Map<String, String> daemons = new LinkedHashMap<>();
                  daemons(h).forEach(d -> daemons.put(d, off ? "stopped" : "up"));
                  return new DashboardStatus.HostState(h.name(), off ? "stopped" : "up", daemons);
                })
            .toList();
    return new DashboardStatus(
        topology.lab(),
        "https://" + topology.siteFqdns().get(0) + "/",
        hosts,
        topology.vip().isPresent() ? "lb1" : null,
        topology.database().writableHosts(),
        topology.database().replicas().stream()
            .map(
                r ->
                    new DashboardStatus.ReplicaLag(
                        r, topology.database().replicationSource().orElse("?"), 0.0))
            .toList(),
        List.of(
            new DashboardStatus.Alert(
                "TargetDown",
                "web2",
                "critical",
                "web2: node target is down",
                "2026-11-23T12:00:00Z")),
        List.of(
            new DashboardStatus.Incident(
                "HostDown web2", "web2", "host-down", 1, "2026-11-23T12:00:03Z", null),
            new DashboardStatus.Incident(
                "ReplicaLagging web3",
                "web3",
                "replication",
                1,
                "2026-11-23T11:50:00Z",
                "2026-11-23T11:52:30Z")));
  }

  private static List<String> daemons(Host h) {
    List<String> out = new java.util.ArrayList<>();
    if (h.has(Role.DNS)) out.add("dnsmasq");
    if (h.has(Role.LB)) out.addAll(List.of("haproxy", "keepalived"));
    if (h.has(Role.WEB)) out.add("nginx");
    if (h.has(Role.APP)) out.add("app");
    if (h.has(Role.DB)) out.add("mariadb");
    if (h.has(Role.ARBITRATOR)) out.add("garbd");
    if (h.has(Role.MONITOR)) out.add("prometheus");
    return out;
  }

  @Override
  public String svg() {
    return LiveDiagram.svg(topology, status());
  }

  @Override
  public String queryRange(String query, Instant start, Instant end, int stepSeconds) {
    Matcher m = BY.matcher(query);
    String label = m.find() ? m.group(1) : "instance";
    List<String> names =
        topology.hosts().stream()
            .filter(
                h -> label.equals("server") ? h.has(Role.WEB) : h.has(Role.LB) || h.has(Role.WEB))
            .map(Host::name)
            .toList();
    StringBuilder sb =
        new StringBuilder(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    for (int i = 0; i < names.size(); i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"metric\":{\"")
          .append(label)
          .append("\":\"")
          .append(names.get(i))
          .append("\"},\"values\":[");
      boolean first = true;
      for (long t = start.getEpochSecond(); t <= end.getEpochSecond(); t += stepSeconds) {
        double v = 10 + i * 5 + 3 * Math.sin(t / 20.0 + i);
        sb.append(first ? "" : ",")
            .append("[")
            .append(t)
            .append(",\"")
            .append(String.format(Locale.ROOT, "%.3f", v))
            .append("\"]");
        first = false;
      }
      sb.append("]}");
    }
    return sb.append("]}}").toString();
  }
}
