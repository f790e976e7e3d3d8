package dev.webinfra.render.keepalived;

import dev.webinfra.host.HostPaths;
import dev.webinfra.render.RenderedFile;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.Vip;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders keepalived's config for one LB of the pair: unicast VRRP v3 to the peers on the VIP's
 * network, a priority from the LB's place in the file (the first is preferred), and a check that
 * gives up the floating IP when haproxy is dead.
 */
public final class KeepalivedRenderer {
  private KeepalivedRenderer() {}

  /** The files for a load balancer of a topology with a floating IP. */
  public static List<RenderedFile> render(Topology t, Host lb, HostPaths paths) {
    Vip vip =
        t.vip()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "keepalived: topology " + t.lab() + " has no vip"));
    HostPaths d = paths;
    List<Host> lbs = t.hostsWith(Role.LB);
    String peers =
        lbs.stream()
            .filter(o -> !o.equals(lb))
            .map(o -> "    " + o.address(vip.network()).orElseThrow())
            .collect(Collectors.joining("\n"));
    int prefix = t.network(vip.network()).orElseThrow().cidr().prefix();
    String checkScript = d.etc().resolve("haproxy-alive.sh").toString();
    String conf =
        Template.load("keepalived/keepalived.conf")
            .render(
                Map.of(
                    "host", lb.name(),
                    "lab", t.lab(),
                    "check_script", checkScript,
                    "interface", vip.network(),
                    "router_id", Integer.toString(vip.routerId()),
                    "priority", Integer.toString(150 - 10 * lbs.indexOf(lb)),
                    "self", lb.address(vip.network()).orElseThrow().toString(),
                    "peers",
                        peers.isEmpty()
                            ? "    # no peer: this floating IP has a single holder"
                            : peers,
                    "vip", vip.address() + "/" + prefix));
    String check =
        Template.load("keepalived/haproxy-alive.sh")
            .render(Map.of("host", lb.name(), "lab", t.lab(), "run", d.run().toString()));
    return List.of(
        RenderedFile.config(d.etc().resolve("keepalived.conf"), conf),
        // keepalived's script security runs only scripts that no other user can change.
        new RenderedFile(d.etc().resolve("haproxy-alive.sh"), check, "rwxr-xr-x"));
  }
}
