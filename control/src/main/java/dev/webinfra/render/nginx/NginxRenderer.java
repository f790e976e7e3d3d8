package dev.webinfra.render.nginx;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.render.RenderedFile;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders nginx's config: static files from disk, the rest proxied to the local app. */
public final class NginxRenderer {
  private NginxRenderer() {}

  /** The files for a web host. */
  public static List<RenderedFile> render(Topology t, Host host, LabLayout layout) {
    LabLayout.HostDirs dirs = layout.host(host.name());
    int port = host.settings().web().port();
    String listen = host.attachments().stream()
        .map(a -> "    listen " + a.address() + ":" + port + ";")
        .collect(Collectors.joining("\n"));
    String content = Template.load("nginx/nginx.conf").render(Map.of(
        "host", host.name(),
        "lab", t.lab(),
        "workers", Integer.toString(host.settings().web().workers()),
        "run", dirs.run().toString(),
        "log", dirs.log().toString(),
        "www", dirs.www().toString(),
        "app_port", Integer.toString(host.settings().app().port()),
        "listen", listen,
        "server_names", String.join(" ", t.siteFqdns()) + " " + host.name()));
    return List.of(RenderedFile.config(dirs.etc().resolve("nginx.conf"), content));
  }
}
