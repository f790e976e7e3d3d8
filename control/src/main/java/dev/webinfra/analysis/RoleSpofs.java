package dev.webinfra.analysis;

import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The single points of failure named by role: one server, one load balancer, a floating IP with one
 * holder, one DNS server, a primary without automatic failover.
 */
final class RoleSpofs {
  private RoleSpofs() {}

  /**
   * The single points of failure named by role (one server, one load balancer, one DNS server, a
   * primary without failover), kept only where the flow graph agrees: a host the site can lose is
   * no single point of failure, whatever its role. A design already broken keeps them all.
   */
  static List<Finding> of(Topology t) {
    List<Finding> out = new ArrayList<>();
    out.addAll(singleServer(t));
    out.addAll(singleLoadBalancer(t));
    out.addAll(vipSingleHolder(t));
    out.addAll(dns(t));
    out.addAll(databaseFailover(t));
    Resilience r = Resilience.of(t);
    if (t.hostsWith(Role.CLIENT).isEmpty() || r.broken(java.util.Set.of()).isPresent()) {
      return out;
    }
    List<String> cut = r.cutVertices();
    return out.stream().filter(f -> f.hosts().stream().anyMatch(cut::contains)).toList();
  }

  static List<Finding> singleServer(Topology t) {
    List<Host> webs = t.hostsWith(Role.WEB);
    if (webs.size() != 1) {
      return List.of();
    }
    return List.of(
        new Finding(
            "SPOF_SERVER",
            Severity.HIGH,
            Finding.names(webs),
            "the only server is a single point of failure",
            "web server, application server and database all run on "
                + webs.get(0).name()
                + "; if it fails (hardware, network, a bad deploy) the whole site is down",
            "add servers and put a load balancer in front of them (see three-servers.yaml), with"
                + " the database replicated"));
  }

  static List<Finding> singleLoadBalancer(Topology t) {
    List<Host> lbs = t.hostsWith(Role.LB);
    if (lbs.size() == 1) {
      return List.of(
          new Finding(
              "SPOF_LOAD_BALANCER",
              Severity.HIGH,
              Finding.names(lbs),
              "the load balancer is a single point of failure",
              "every request goes through "
                  + lbs.get(0).name()
                  + "; if it fails, no traffic reaches the "
                  + t.hostsWith(Role.WEB).size()
                  + " servers behind it",
              "add a second load balancer and share a floating IP between them with keepalived"
                  + " (VRRP), as ha-cluster.yaml does"));
    }
    if (lbs.size() > 1 && t.vip().isEmpty()) {
      return List.of(
          new Finding(
              "SPOF_LOAD_BALANCER",
              Severity.HIGH,
              Finding.names(lbs),
              "the load balancers share no floating IP",
              "DNS gives clients the address of "
                  + lbs.get(0).name()
                  + " only; if it fails, the others take no traffic",
              "give the load balancers a vip: a floating IP that keepalived moves to a live one"));
    }
    return List.of();
  }

  static List<Finding> vipSingleHolder(Topology t) {
    List<Host> lbs = t.hostsWith(Role.LB);
    if (t.vip().isEmpty() || lbs.size() != 1) {
      return List.of();
    }
    return List.of(
        new Finding(
            "VIP_SINGLE_HOLDER",
            Severity.HIGH,
            Finding.names(lbs),
            "the floating IP has a single holder",
            "floating IP "
                + t.vip().get().address()
                + " can only live on "
                + lbs.get(0).name()
                + ": there is no peer to move it to, so it protects against nothing",
            "add a second load balancer on network "
                + t.vip().get().network()
                + " to hold the floating IP when the first fails"));
  }

  static List<Finding> dns(Topology t) {
    List<Host> dns = t.hostsWith(Role.DNS);
    if (dns.size() != 1 || t.hostsWith(Role.CLIENT).isEmpty()) {
      return List.of();
    }
    return List.of(
        new Finding(
            "SPOF_DNS",
            Severity.MEDIUM,
            Finding.names(dns),
            "a single DNS server answers for the site",
            "if "
                + dns.get(0).name()
                + " fails, clients whose cached answer expires cannot find the site, though it"
                + " still runs",
            "add a secondary name server for "
                + t.domain()
                + " (a second dns host, or a DNS provider with several servers)"));
  }

  static List<Finding> databaseFailover(Topology t) {
    Database db = t.database();
    if (db.kind() != Database.Kind.PRIMARY_REPLICA
        || db.failover() == Database.Failover.AUTOMATIC) {
      return List.of();
    }
    return List.of(
        new Finding(
            "NO_AUTOMATIC_DB_FAILOVER",
            Severity.HIGH,
            db.primary().stream().toList(),
            "the one writable primary has no automatic failover",
            "every write goes to "
                + db.primary().orElseThrow()
                + "; if it fails, writes stop until someone promotes a replica by hand",
            "use a multi-primary Galera cluster with an arbitrator as ha-cluster.yaml does, or"
                + " let the controller promote (database.failover: automatic);"
                + " meanwhile `webinfra db"
                + " promote HOST` promotes a replica without losing acknowledged writes"));
  }
}
