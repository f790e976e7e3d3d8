package dev.webinfra.render.nodeexporter;

import dev.webinfra.host.HostPaths;
import dev.webinfra.render.RenderedFile;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders what the node exporter needs besides its flags: on a load balancer of a floating IP, the
 * keepalived notify script that writes the VRRP state into the exporter's textfile directory. The
 * controller runs outside the lab's private network, where Prometheus cannot scrape it, so the
 * state reaches Prometheus through the load balancer's own exporter.
 */
public final class NodeExporterRenderer {
  private NodeExporterRenderer() {}

  /** The directory of the textfile collector. */
  public static Path textfileDir(HostPaths paths) {
    return paths.run().resolve("node-exporter");
  }

  /** The keepalived notify script, on a load balancer of a floating IP. */
  public static Path vrrpNotifyScript(HostPaths paths) {
    return paths.etc().resolve("vrrp-notify.sh");
  }

  /** Whether {@code h} reports the floating IP's VRRP state. */
  public static boolean reportsVrrp(Topology t, Host h) {
    return h.has(Role.LB) && t.vip().isPresent();
  }

  /** The files for a host with a node exporter. */
  public static List<RenderedFile> render(Topology t, Host h, HostPaths paths) {
    if (!reportsVrrp(t, h)) {
      return List.of();
    }
    String script =
        Template.load("nodeexporter/vrrp-notify.sh")
            .render(
                Map.of(
                    "host", h.name(),
                    "lab", t.lab(),
                    "vip", t.vip().orElseThrow().address().toString(),
                    "textfile_dir", textfileDir(paths).toString()));
    // keepalived runs notify scripts as root and refuses ones others may write.
    return List.of(new RenderedFile(vrrpNotifyScript(paths), script, "rwxr-xr-x"));
  }
}
