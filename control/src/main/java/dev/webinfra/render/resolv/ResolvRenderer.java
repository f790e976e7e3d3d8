package dev.webinfra.render.resolv;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders each host's resolv.conf and hosts, which the lab mounts over /etc inside the host (as
 * {@code ip netns exec} would). Hosts resolve only through the lab's DNS, so no query ever leaves
 * the lab.
 */
public final class ResolvRenderer {
  private ResolvRenderer() {}

  /** The files for any host. */
  public static List<RenderedFile> render(Topology t, Host host, HostPaths paths) {
    List<Host> reachable =
        t.hostsWith(Role.DNS).stream().filter(d -> d.sharesNetworkWith(host)).toList();
    String nameservers =
        reachable.isEmpty()
            ? "# no lab DNS server shares a network with this host"
            : reachable.stream()
                .map(d -> "nameserver " + d.addressFor(host))
                .collect(Collectors.joining("\n"));
    Map<String, String> values =
        Map.of("host", host.name(), "lab", t.lab(), "nameservers", nameservers);
    return List.of(
        RenderedFile.config(
            paths.etc().resolve("resolv.conf"), Template.load("resolv/resolv.conf").render(values)),
        RenderedFile.config(
            paths.etc().resolve("hosts"),
            Template.load("resolv/hosts").render(Map.of("host", host.name(), "lab", t.lab()))));
  }
}
