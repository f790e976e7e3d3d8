package dev.webinfra.analysis;

import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/** Security gaps: hosts without a firewall, and HTTP in plain text on a network others share. */
final class Security {
  private Security() {}

  static List<Finding> firewall(Topology t) {
    List<Host> open =
        t.hosts().stream()
            .filter(h -> !h.has(Role.CLIENT) && !h.settings().firewall().enabled())
            .toList();
    if (open.isEmpty()) {
      return List.of();
    }
    return List.of(
        new Finding(
            "NO_FIREWALL",
            Severity.HIGH,
            Finding.names(open),
            "no firewall on " + open.size() + " host" + (open.size() == 1 ? "" : "s"),
            "every port a daemon opens (the database, stats pages, replication) is reachable by"
                + " anyone who can reach the host",
            "enable firewall.enabled on every host (defaults: { firewall: { enabled: true } }):"
                + " inbound dropped by default, each role's ports opened only to the hosts that"
                + " need them"));
  }

  static List<Finding> https(Topology t) {
    List<Host> fronts =
        t.hostsWith(Role.LB).isEmpty() ? t.hostsWith(Role.WEB) : t.hostsWith(Role.LB);
    if (!t.tls().enabled()) {
      return List.of(
          new Finding(
              "NO_HTTPS",
              Severity.HIGH,
              Finding.names(fronts),
              "the site is served over plain HTTP",
              "everything between the client and "
                  + String.join(", ", Finding.names(fronts))
                  + " (pages, form posts, cookies) can be read and changed on the way",
              "serve HTTPS on 443 with a certificate for "
                  + String.join(", ", t.siteFqdns())
                  + " (tls.mode: lab or files) and redirect HTTP to it"));
    }
    if (t.tls().backend() || t.hostsWith(Role.LB).isEmpty()) {
      return List.of();
    }
    List<Finding> out = new ArrayList<>();
    for (Host w : t.hostsWith(Role.WEB)) {
      for (Host lb : t.hostsWith(Role.LB)) {
        // The network of the address HAProxy's server line dials (w.addressFor(lb)), not just
        // any network the two share.
        String net =
            w.attachments().stream()
                .filter(a -> a.address().equals(w.addressFor(lb)))
                .map(a -> a.network())
                .filter(n -> lb.address(n).isPresent())
                .findFirst()
                .orElse(null);
        if (net == null) {
          continue;
        }
        List<String> outsiders =
            t.hosts().stream()
                .filter(h -> h.address(net).isPresent() && h.has(Role.CLIENT))
                .map(Host::name)
                .toList();
        if (!outsiders.isEmpty()) {
          out.add(
              new Finding(
                  "PLAINTEXT_BEHIND_TLS",
                  Severity.HIGH,
                  List.of(lb.name(), w.name()),
                  "TLS ends at "
                      + lb.name()
                      + " and plain HTTP goes on to "
                      + w.name()
                      + " over the shared network "
                      + net,
                  "network "
                      + net
                      + " also holds "
                      + String.join(", ", outsiders)
                      + ", which can read and change the decrypted traffic",
                  "encrypt load balancer to server traffic too (tls.backend: true), or move the"
                      + " servers to a private network"));
        }
      }
    }
    return out;
  }
}
