package dev.webinfra.render.app;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Map;

/** Renders the application server's properties: where it listens and which databases it uses. */
public final class AppRenderer {
  private AppRenderer() {}

  /** Where the app's database password goes: readable by the app's user only, never rendered. */
  public static java.nio.file.Path passwordFile(HostPaths paths) {
    return paths.etc().resolve("app-db.password");
  }

  /** The files for an app host. */
  public static List<RenderedFile> render(Topology t, Host host, HostPaths paths) {
    HostPaths dirs = paths;
    String content =
        Template.load("app/app.properties")
            .render(
                Map.of(
                    "host", host.name(),
                    "lab", t.lab(),
                    "port", Integer.toString(host.settings().app().port()),
                    "site_name", t.siteFqdns().get(0),
                    "write_url", DatabaseEndpoints.writeEndpoint(t, host),
                    "read_urls", DatabaseEndpoints.readEndpoint(t, host),
                    "password_file", passwordFile(paths).toString(),
                    "pool_size", Integer.toString(host.settings().app().poolSize()),
                    "causal_reads", Boolean.toString(t.database().causalReads())));
    return List.of(RenderedFile.config(dirs.etc().resolve("app.properties"), content));
  }
}
