package dev.webinfra.site;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pure rule of {@code scale web=N}: the topology file's web servers stay as they are, and the
 * servers beyond them are first its spares ({@code spare: true}), in file order, then, in a lab,
 * copies of its last active web server, each named {@code web<i>}, at the next free address of each
 * of its networks. A site of servers has only the machines its file lists: it scales no further
 * than its spares. Either is appended after every other host (so the lab's link names, which carry
 * host indexes, do not move). A server added that has the database role joins as an asynchronous
 * replica (of the primary, or of the Galera cluster), so adding or removing one never touches the
 * primary or the quorum.
 */
public final class Scale {
  private Scale() {}

  /** How many web servers {@code t} has. */
  public static int webCount(Topology t) {
    return t.hostsWith(Role.WEB).size();
  }

  /**
   * {@code base} with web servers added up to {@code webs} in all; fewer than it has is refused.
   */
  public static Topology apply(Topology base, int webs) {
    List<Host> web = base.hostsWith(Role.WEB);
    if (webs < web.size()) {
      throw WebinfraException.invalidInput(
          "scale web="
              + webs
              + ": lab "
              + base.lab()
              + "'s topology file has "
              + web.size()
              + " web servers ("
              + String.join(", ", web.stream().map(Host::name).toList())
              + "); scale adds and removes only servers beyond them (allowed: web="
              + web.size()
              + " or more)");
    }
    if (webs == web.size()) {
      return base;
    }
    Host template =
        web.stream()
            .filter(h -> !h.settings().web().backup())
            .reduce((a, b) -> b)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "scale: lab " + base.lab() + " has no active web server to copy"));
    boolean db =
        template.has(Role.DB)
            && (base.database().kind() == Database.Kind.PRIMARY_REPLICA
                || base.database().kind() == Database.Kind.GALERA);
    List<Host> hosts = new ArrayList<>(base.hosts());
    List<String> replicas = new ArrayList<>(base.database().replicas());
    Set<Ipv4> used = new HashSet<>();
    base.hosts().forEach(h -> h.attachments().forEach(a -> used.add(a.address())));
    base.vip().ifPresent(v -> used.add(v.address()));
    base.networks().forEach(n -> n.machineAddress().ifPresent(used::add));
    base.spares().forEach(h -> h.attachments().forEach(a -> used.add(a.address())));
    List<Host> spares = base.spares();
    int fromSpares = Math.min(spares.size(), webs - web.size());
    if (base.onServers() && webs - web.size() > spares.size()) {
      throw WebinfraException.invalidInput(
          "scale web="
              + webs
              + ": site "
              + base.lab()
              + " has "
              + web.size()
              + (web.size() == 1 ? " web server and " : " web servers and ")
              + (spares.isEmpty()
                  ? "no spare"
                  : spares.size()
                      + " spare"
                      + (spares.size() == 1 ? "" : "s")
                      + " ("
                      + String.join(", ", spares.stream().map(Host::name).toList())
                      + ")")
              + "; a site of servers scales onto the servers its topology lists: add each with its"
              + " ssh: block and spare: true (allowed: web="
              + web.size()
              + (spares.isEmpty() ? "" : " to web=" + (web.size() + spares.size()))
              + ")");
    }
    for (Host s : spares.subList(0, fromSpares)) {
      // A spare joins as the copies do: the database's replica if it has role db (the loader
      // allows that only for a database that takes replicas).
      if (s.has(Role.DB)) {
        replicas.add(s.name());
      }
      hosts.add(s);
    }
    int next = web.size();
    for (int i = web.size() + fromSpares + 1; i <= webs; i++) {
      // The next web<i> that no host or spare of the file has taken.
      do {
        next++;
      } while (base.host("web" + next).isPresent() || base.spare("web" + next).isPresent());
      String name = "web" + next;
      List<Attachment> at = new ArrayList<>();
      for (Attachment a : template.attachments()) {
        Network net = base.network(a.network()).orElseThrow();
        Ipv4 ip = a.address();
        do {
          ip = ip.plus(1);
          if (!net.cidr().isUsable(ip)) {
            throw WebinfraException.invalidInput(
                "scale web=" + webs + ": network " + net.name() + " has no free address left");
          }
        } while (used.contains(ip));
        used.add(ip);
        at.add(new Attachment(a.network(), ip));
      }
      List<Role> roles = new ArrayList<>(template.roles());
      if (!db) {
        roles.remove(Role.DB);
      } else {
        replicas.add(name);
      }
      hosts.add(new Host(name, roles, at, template.settings()));
    }
    Database d = base.database();
    Database scaled =
        new Database(
            d.kind(),
            d.primary(),
            d.members(),
            replicas,
            d.replicateFrom(),
            d.arbitrator(),
            d.semiSync(),
            d.failover(),
            d.asyncFallback(),
            d.causalReads());
    return new Topology(
            base.lab(),
            base.domain(),
            base.siteNames(),
            base.networks(),
            hosts,
            base.vip(),
            base.database(),
            base.tls(),
            base.source(),
            base.alerting(),
            spares.subList(fromSpares, spares.size()))
        .withDatabase(scaled);
  }

  /** The hosts {@code scaled} has beyond {@code base}. */
  public static List<Host> added(Topology base, Topology scaled) {
    return scaled.hosts().stream().filter(h -> base.host(h.name()).isEmpty()).toList();
  }
}
