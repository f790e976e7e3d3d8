package dev.webinfra.render.mariadb;

import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.render.RenderedFile;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Map;

/** Renders MariaDB's config: its own datadir, socket and logs under the host's state directory. */
public final class MariadbRenderer {
  private MariadbRenderer() {}

  /** The files for a db host. */
  public static List<RenderedFile> render(Topology t, Host host, LabLayout layout) {
    LabLayout.HostDirs dirs = layout.host(host.name());
    boolean binlog = host.settings().db().binlog();
    String content = Template.load("mariadb/my.cnf").render(Map.of(
        "host", host.name(),
        "lab", t.lab(),
        // Own subdirectories, writable by the mysql user and by no other daemon of the host.
        "run", dirs.run().resolve("mariadb").toString(),
        "log", dirs.log().resolve("mariadb").toString(),
        "data", dirs.data().toString(),
        "bind", host.primaryAddress().toString(),
        "port", Integer.toString(host.settings().db().port()),
        // Stable per host and distinct across the lab, as replication requires.
        "server_id", Integer.toString(t.hosts().indexOf(host) + 1),
        "binlog", binlog ? "log-bin = " + dirs.data() + "/binlog/" + host.name() + "-bin\nsync_binlog = 1" : "# no binary log",
        "buffer_pool_mb", Integer.toString(host.settings().db().bufferPoolMb())));
    return List.of(RenderedFile.config(dirs.etc().resolve("my.cnf"), content));
  }
}
