package dev.webinfra.render.nftables;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Template;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a host's nftables ruleset from its inbound rules, which the plan derives from every
 * unit's flows ({@code plan.Flows#inboundRules}): a renderer knows no other unit.
 */
public final class NftablesRenderer {
  private NftablesRenderer() {}

  /** The files for a host with {@code firewall.enabled} that admits {@code inbound}. */
  public static List<RenderedFile> render(
      Topology t, Host host, HostPaths paths, List<FirewallRule> inbound) {
    List<String> rules = new ArrayList<>();
    for (FirewallRule r : inbound) {
      String match =
          switch (r.proto()) {
            case VRRP -> "ip protocol vrrp";
            case TCP, UDP -> r.proto().name().toLowerCase(Locale.ROOT) + " dport " + r.port();
          };
      Set<String> sources = sources(t, host, r.from());
      if (!r.from().contains("any") && sources.isEmpty()) {
        rules.add("    # " + describe(r) + ": no such source shares a network with " + host.name());
        continue;
      }
      String from =
          r.from().contains("any") ? "" : "ip saddr { " + String.join(", ", sources) + " } ";
      rules.add("    " + from + match + " accept comment \"" + describe(r) + "\"");
    }
    String content =
        Template.load("nftables/nftables.conf")
            .render(
                Map.of(
                    "host", host.name(),
                    "lab", t.lab(),
                    "lab_networks",
                        t.networks().stream()
                            .map(n -> n.cidr().toString())
                            .collect(Collectors.joining(", ")),
                    "rules", String.join("\n", rules),
                    "reset", reset(host)));
    return List.of(RenderedFile.config(paths.etc().resolve("nftables.conf"), content));
  }

  // A lab host's namespace holds webinfra's rules alone; a server may hold others' tables (its
  // own firewall, a container engine's), so only webinfra's table is replaced there: created if
  // absent, deleted and made anew, in the one transaction nft -f makes of the file.
  private static String reset(Host host) {
    return host.ssh().isPresent()
        ? "# Only webinfra's table is replaced: the server's other tables stay.\n"
            + "table inet webinfra\ndelete table inet webinfra"
        : "flush ruleset";
  }

  // A host name stands for its addresses on the networks it shares with this host; a network for
  // its range.
  private static Set<String> sources(Topology t, Host to, List<String> from) {
    Set<String> out = new LinkedHashSet<>();
    for (String src : from) {
      t.network(src).ifPresent(n -> out.add(n.cidr().toString()));
      t.host(src)
          .ifPresent(
              h ->
                  h.attachments().stream()
                      .filter(a -> to.address(a.network()).isPresent())
                      .forEach(a -> out.add(a.address().toString())));
    }
    return out;
  }

  private static String describe(FirewallRule r) {
    return (r.proto() == FirewallRule.Proto.VRRP
            ? "vrrp"
            : r.port() + "/" + r.proto().name().toLowerCase(Locale.ROOT))
        + " from "
        + String.join(", ", r.from());
  }
}
