package dev.webinfra.render.haproxy;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.render.RenderedFile;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Settings;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders HAProxy's config: round robin over the active servers with health checks on /health,
 * backup servers taking traffic only when every active one is down, and stats on the private side.
 */
public final class HaproxyRenderer {
  /** The port of the stats page and the Prometheus exporter. */
  public static final int STATS_PORT = 8404;

  private HaproxyRenderer() {}

  /** The files for a load balancer. */
  public static List<RenderedFile> render(Topology t, Host lb, LabLayout layout) {
    LabLayout.HostDirs d = layout.host(lb.name());
    Settings.Lb s = lb.settings().lb();
    List<String> binds = new ArrayList<>();
    frontAddresses(t, lb).forEach(a -> binds.add("  bind " + a + ":80"));
    List<Host> servers = t.hostsWith(Role.WEB);
    String health = s.healthChecks()
        ? "  option httpchk GET /health\n  http-check expect status 200\n"
            + "  default-server inter " + s.checkInterMs() + "ms fastinter " + Math.max(100, s.checkInterMs() / 2)
            + "ms fall " + s.checkFall() + " rise " + s.checkRise()
        : "  # health checks are off in this topology";
    String serverLines = servers.stream()
        .map(w -> "  server " + w.name() + " " + w.addressFor(lb) + ":" + w.settings().web().port()
            + (s.healthChecks() ? " check" : "") + (w.settings().web().backup() ? " backup" : ""))
        .collect(Collectors.joining("\n"));
    String content = Template.load("haproxy/haproxy.cfg").render(Map.of(
        "host", lb.name(),
        "lab", t.lab(),
        "run", d.run().toString(),
        "binds", String.join("\n", binds),
        "health", health,
        "servers", serverLines,
        "stats_bind", backAddress(t, lb) + ":" + STATS_PORT));
    return List.of(RenderedFile.config(d.etc().resolve("haproxy.cfg"), content));
  }

  /** Where clients reach this LB: the floating IP and its own address on the VIP's network (else its first). */
  public static List<String> frontAddresses(Topology t, Host lb) {
    List<String> out = new ArrayList<>();
    t.vip().ifPresentOrElse(v -> {
      out.add(v.address().toString());
      lb.address(v.network()).ifPresent(a -> out.add(a.toString()));
    }, () -> out.add(t.hostsWith(Role.CLIENT).stream().findFirst().map(c -> lb.addressFor(c)).orElse(lb.primaryAddress()).toString()));
    return out;
  }

  /** The LB's address on the servers' side, where its stats are served. */
  public static String backAddress(Topology t, Host lb) {
    return t.hostsWith(Role.WEB).stream().findFirst().map(lb::addressFor).orElse(lb.primaryAddress()).toString();
  }
}
