package dev.webinfra.render.dnsmasq;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders dnsmasq's config: the site's names point at the site's address (the VIP when there is
 * one).
 */
public final class DnsmasqRenderer {
  private DnsmasqRenderer() {}

  /** The files for a dns host. */
  public static List<RenderedFile> render(Topology t, Host host, HostPaths paths) {
    HostPaths dirs = paths;
    String records =
        t.siteFqdns().stream()
            .map(name -> "host-record=" + name + "," + t.siteAddress())
            .collect(Collectors.joining("\n"));
    String content =
        Template.load("dnsmasq/dnsmasq.conf")
            .render(
                Map.of(
                    "host", host.name(),
                    "lab", t.lab(),
                    "domain", t.domain(),
                    "listen",
                        host.attachments().stream()
                            .map(a -> a.address().toString())
                            .collect(Collectors.joining(",")),
                    "ttl", "30",
                    "run", dirs.run().toString(),
                    "log", dirs.log().toString(),
                    "records", records));
    return List.of(RenderedFile.config(dirs.etc().resolve("dnsmasq.conf"), content));
  }
}
