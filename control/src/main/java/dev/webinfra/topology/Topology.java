package dev.webinfra.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated, immutable topology: the lab, the site's names, its networks, hosts, database layout,
 * floating IP, TLS, where alerts notify, and the spare web servers that {@code scale} may bring in
 * (listed with {@code spare: true}; none of them runs until it does, so {@link #hosts} leaves them
 * out). Built only by {@link TopologyLoader}, which checks it once at the boundary.
 */
public record Topology(
    String lab,
    String domain,
    List<String> siteNames,
    List<Network> networks,
    List<Host> hosts,
    Optional<Vip> vip,
    Database database,
    Tls tls,
    String source,
    Alerting alerting,
    List<Host> spares) {

  /**
   * Names no lab may have: beside the labs' directories, /var/lib/webinfra holds the sites of
   * servers ({@code sites}) and the test beds ({@code testbed}).
   */
  public static final java.util.Set<String> RESERVED_LAB_NAMES =
      java.util.Set.of("sites", "testbed");

  public Topology {
    Objects.requireNonNull(lab, "lab");
    Objects.requireNonNull(domain, "domain");
    siteNames = List.copyOf(siteNames);
    networks = List.copyOf(networks);
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(vip, "vip");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(alerting, "alerting");
    spares = List.copyOf(spares);
  }

  /**
   * What the app tier runs: one program on every app host (the loader refuses two), our guestbook
   * when no host has role app.
   */
  public AppProgram app() {
    return hosts.stream()
        .filter(h -> h.has(Role.APP))
        .findFirst()
        .map(h -> h.settings().app().program())
        .orElseGet(AppProgram.Guestbook::new);
  }

  /** The same topology with another database layout, as after a promotion. */
  public Topology withDatabase(Database db) {
    return new Topology(
        lab, domain, siteNames, networks, hosts, vip, db, tls, source, alerting, spares);
  }

  /** The same topology with other TLS settings. */
  public Topology withTls(Tls other) {
    return new Topology(
        lab, domain, siteNames, networks, hosts, vip, database, other, source, alerting, spares);
  }

  /** The fully qualified names the site answers to, such as {@code www.foobar.com}. */
  public List<String> siteFqdns() {
    return siteNames.stream().map(n -> n.equals("@") ? domain : n + "." + domain).toList();
  }

  /** Whether its hosts are the user's servers, reached over SSH, rather than lab namespaces. */
  public boolean onServers() {
    return hosts.stream().anyMatch(h -> h.ssh().isPresent());
  }

  /** The host with this name. */
  public Optional<Host> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /** The spare web server with this name: listed, not running until {@code scale} adds it. */
  public Optional<Host> spare(String name) {
    return spares.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /**
   * The same topology with its spares among its hosts, at the end, roles and database untouched:
   * every machine the file lists, as a test bed boots them and the controller's known_hosts holds
   * their keys.
   */
  public Topology withSparesAsHosts() {
    if (spares.isEmpty()) {
      return this;
    }
    List<Host> all = new java.util.ArrayList<>(hosts);
    all.addAll(spares);
    return new Topology(
        lab, domain, siteNames, networks, all, vip, database, tls, source, alerting, List.of());
  }

  /** The network with this name. */
  public Optional<Network> network(String name) {
    return networks.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** The hosts with a role, in file order. */
  public List<Host> hostsWith(Role role) {
    return hosts.stream().filter(h -> h.has(role)).toList();
  }

  /**
   * The address DNS gives for the site: the floating IP if there is one, else the first load
   * balancer, else the first web server. Clients reach the site there.
   */
  public Ipv4 siteAddress() {
    if (vip.isPresent()) {
      return vip.get().address();
    }
    List<Host> lbs = hostsWith(Role.LB);
    if (!lbs.isEmpty()) {
      return frontAddress(lbs.get(0));
    }
    return frontAddress(hostsWith(Role.WEB).get(0));
  }

  // The address of a front host on a network that clients share, so the site is reachable from
  // them.
  private Ipv4 frontAddress(Host front) {
    return hostsWith(Role.CLIENT).stream()
        .findFirst()
        .map(front::addressFor)
        .orElse(front.primaryAddress());
  }
}
