package dev.webinfra.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks that need every section read: what one host's roles need of the others. */
final class CrossChecks {
  private CrossChecks() {}

  /**
   * The app tier runs one app: every app host the same program, from one artifact (deploys roll one
   * release), and every server answers the load balancers' health check on the same path.
   */
  private static void oneApp(List<Host> hosts, Map<String, YamlNode> nodes) {
    Host first = null;
    for (Host h : hosts) {
      if (!h.has(Role.APP)) {
        continue;
      }
      if (first == null) {
        first = h;
        continue;
      }
      AppProgram a = first.settings().app().program();
      AppProgram b = h.settings().app().program();
      boolean same =
          a.kind().equals(b.kind())
              && a.artifact().equals(b.artifact())
              && (!(a instanceof AppProgram.Command ca)
                  || ca.argv().equals(((AppProgram.Command) b).argv()));
      if (!same) {
        nodes
            .get(h.name())
            .problem(
                "host "
                    + h.name()
                    + ": runs another app than "
                    + first.name()
                    + " ("
                    + b.kind()
                    + " vs "
                    + a.kind()
                    + "); the app tier runs one app: set app in defaults or in the app role");
      } else if (!first.settings().app().health().equals(h.settings().app().health())) {
        nodes
            .get(h.name())
            .problem(
                "host "
                    + h.name()
                    + ": app.health "
                    + h.settings().app().health()
                    + " differs from "
                    + first.name()
                    + "'s "
                    + first.settings().app().health()
                    + "; the load balancers check one path on every server");
      }
    }
  }

  /** Reports, at each host, a role whose partner is missing or out of reach. */
  static void check(
      YamlNode root,
      List<Host> hosts,
      Map<String, YamlNode> nodes,
      Map<String, Network> networks,
      Optional<Vip> vip,
      List<Host> spares) {
    List<Host> dns = hosts.stream().filter(h -> h.has(Role.DNS)).toList();
    boolean anyWeb = hosts.stream().anyMatch(h -> h.has(Role.WEB));
    if (!hosts.isEmpty() && !anyWeb) {
      root.problem("no host has role web; the site needs at least one web server");
    }
    // A spare that scale brings in runs the site's one app too.
    oneApp(java.util.stream.Stream.concat(hosts.stream(), spares.stream()).toList(), nodes);
    for (Host h : hosts) {
      YamlNode at = nodes.get(h.name());
      if (h.has(Role.APP) && !h.has(Role.WEB)) {
        at.problem(
            "host "
                + h.name()
                + ": role app needs role web on the same host (nginx fronts the app)");
      }
      if (h.has(Role.CLIENT) && dns.stream().noneMatch(d -> d.sharesNetworkWith(h))) {
        at.problem(
            "host " + h.name() + ": role client needs a host with role dns on one of its networks");
      }
      if (h.has(Role.LB) && vip.isPresent() && h.address(vip.get().network()).isEmpty()) {
        at.problem(
            "host "
                + h.name()
                + ": a load balancer must be on the floating IP's network '"
                + vip.get().network()
                + "'");
      }
      h.settings()
          .firewall()
          .rules()
          .ifPresent(
              rules ->
                  rules.forEach(
                      r ->
                          r.from()
                              .forEach(
                                  src -> {
                                    if (!src.equals("any")
                                        && !networks.containsKey(src)
                                        && hosts.stream().noneMatch(x -> x.name().equals(src))) {
                                      at.problem(
                                          "host "
                                              + h.name()
                                              + ": firewall rule for port "
                                              + r.port()
                                              + " allows from '"
                                              + Shown.value(src)
                                              + "', which is neither a host, a network nor"
                                              + " 'any'");
                                    }
                                  })));
    }
    if (vip.isPresent() && hosts.stream().noneMatch(h -> h.has(Role.LB))) {
      root.problem("a floating IP (vip) needs at least one host with role lb to hold it");
    }
  }
}
