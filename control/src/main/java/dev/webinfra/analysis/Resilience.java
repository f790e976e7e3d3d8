package dev.webinfra.analysis;

import dev.webinfra.daemon.Flow;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Single points of failure as cut vertices of the flow graph, and quorum counted in hosts. The
 * graph's edges are the flows that can happen ({@link Reach#ok}); the site works when a client can
 * resolve its name, reach a front, and through it a server whose app reaches a writable database
 * that holds quorum. A host is a single point of failure when the site works with it and not
 * without it.
 */
final class Resilience {
  private final Topology t;

  // The flows that can happen, as from, to and kind: looked up once per host pair in every
  // failure scenario, so a set, not a scan.
  private record Edge(String from, String to, Flow.Kind kind) {}

  private final Set<Edge> ok = new HashSet<>();
  private Map<String, String> votes;

  private Resilience(Topology t) {
    this.t = t;
    Reach.all(t).stream()
        .filter(Reach::ok)
        .forEach(r -> ok.add(new Edge(r.flow().from(), r.flow().to(), r.flow().kind())));
  }

  static Resilience of(Topology t) {
    return new Resilience(t);
  }

  private boolean can(String from, String to, Flow.Kind kind, Set<String> down) {
    return !down.contains(from) && !down.contains(to) && ok.contains(new Edge(from, to, kind));
  }

  /** What stops the site with {@code down} hosts down, or empty when it works. */
  Optional<String> broken(Set<String> down) {
    List<Host> clients = t.hostsWith(Role.CLIENT);
    if (clients.isEmpty()) {
      return Optional.empty(); // nobody to serve: nothing to cut
    }
    for (Host c : clients) {
      if (t.hostsWith(Role.DNS).stream()
          .noneMatch(d -> can(c.name(), d.name(), Flow.Kind.DNS, down))) {
        return Optional.of("no DNS server answers " + c.name());
      }
      List<Host> lbs = t.hostsWith(Role.LB);
      List<Host> fronts = lbs.isEmpty() ? t.hostsWith(Role.WEB) : lbs;
      // Without a floating IP, DNS gives one front's address: the others take no client.
      List<Host> used = t.vip().isPresent() ? fronts : fronts.subList(0, 1);
      List<Host> live =
          used.stream().filter(f -> can(c.name(), f.name(), Flow.Kind.SITE, down)).toList();
      if (live.isEmpty()) {
        return Optional.of(c.name() + " reaches no front at the site's address");
      }
      Set<String> servers = new LinkedHashSet<>();
      for (Host f : live) {
        if (f.has(Role.WEB)) {
          servers.add(f.name());
        }
        for (Host w : t.hostsWith(Role.WEB)) {
          if (can(f.name(), w.name(), Flow.Kind.BACKEND, down)) {
            servers.add(w.name());
          }
        }
      }
      if (servers.isEmpty()) {
        return Optional.of("no live server behind the front");
      }
      if (t.database().kind() == Database.Kind.GALERA && !hasQuorum(down)) {
        return Optional.of("the Galera cluster loses quorum and stops taking writes");
      }
      boolean written = false;
      for (String w : servers) {
        written |= canWrite(t.host(w).orElseThrow(), down);
      }
      if (!written) {
        return Optional.of("no server's app can reach a writable database");
      }
    }
    return Optional.empty();
  }

  private boolean canWrite(Host w, Set<String> down) {
    Database db = t.database();
    if (!w.has(Role.APP) || db.kind() == Database.Kind.NONE) {
      return true;
    }
    if (db.kind() == Database.Kind.GALERA && !hasQuorum(down)) {
      return false;
    }
    // With automatic failover (run by the controller) a replica that keeps a binlog takes over.
    java.util.List<String> writable = new java.util.ArrayList<>(db.writableHosts());
    if (db.kind() == Database.Kind.PRIMARY_REPLICA
        && db.failover() == Database.Failover.AUTOMATIC) {
      db.replicas().stream()
          .filter(r -> t.host(r).orElseThrow().settings().db().binlog())
          .forEach(writable::add);
    }
    return writable.stream()
        .anyMatch(
            d ->
                !down.contains(d)
                    && (d.equals(w.name()) || can(w.name(), d, Flow.Kind.APP_DB, down)));
  }

  /** Galera's voters (members and arbitrator) mapped to their hosts, counting only real votes. */
  Map<String, String> votes() {
    // The same whatever is down: asked in every failure scenario, counted once.
    if (votes == null) {
      votes = countVotes();
    }
    return votes;
  }

  private Map<String, String> countVotes() {
    Database db = t.database();
    Map<String, String> voters = new LinkedHashMap<>();
    db.members().forEach(m -> voters.put("mariadb@" + m, m));
    db.arbitrator().ifPresent(a -> voters.put("garbd@" + a, a));
    // A vote that cannot reach every member is not a vote: it never joins the primary component.
    voters
        .entrySet()
        .removeIf(
            e ->
                db.members().stream()
                    .anyMatch(
                        m ->
                            !m.equals(e.getValue())
                                && !can(e.getValue(), m, Flow.Kind.GALERA, Set.of())));
    return voters;
  }

  private boolean hasQuorum(Set<String> down) {
    Map<String, String> v = votes();
    long alive = v.values().stream().filter(h -> !down.contains(h)).count();
    return 2 * alive > v.size();
  }

  /** The hosts whose loss alone stops a site that works with every host up. */
  List<String> cutVertices() {
    if (broken(Set.of()).isPresent()) {
      return List.of(); // already broken: other findings say why
    }
    List<String> out = new ArrayList<>();
    for (Host h : t.hosts()) {
      if (!h.has(Role.CLIENT) && broken(Set.of(h.name())).isPresent()) {
        out.add(h.name());
      }
    }
    return out;
  }

  /** SPOF_HOST: cut vertices that no role-based finding already names. */
  static List<Finding> spofs(Topology t) {
    Resilience r = of(t);
    Set<String> named = new HashSet<>();
    for (Finding f : RoleSpofs.of(t)) {
      named.addAll(f.hosts());
    }
    // A host whose loss costs quorum is named by SPLIT_BRAIN, with the reason in votes.
    quorum(t).forEach(f -> named.addAll(f.hosts()));
    List<Finding> out = new ArrayList<>();
    for (String h : r.cutVertices()) {
      if (named.contains(h)) {
        continue;
      }
      out.add(
          new Finding(
              "SPOF_HOST",
              Severity.HIGH,
              List.of(h),
              "host " + h + " is a single point of failure",
              "without "
                  + h
                  + ", "
                  + r.broken(Set.of(h)).orElseThrow()
                  + ": no other path of flows leads from the client to the data, whatever the"
                  + " number of hosts with the same role",
              "make every flow through "
                  + h
                  + " possible through another host too (a shared network, an open port), or add"
                  + " a second host for its role"));
    }
    return out;
  }

  /** SPLIT_BRAIN and EVEN_QUORUM, with votes counted in hosts that can reach the members. */
  static List<Finding> quorum(Topology t) {
    Database db = t.database();
    if (db.kind() != Database.Kind.GALERA) {
      return List.of();
    }
    Map<String, String> votes = of(t).votes();
    int daemons = db.members().size() + (db.arbitrator().isPresent() ? 1 : 0);
    Set<String> domains = new LinkedHashSet<>(votes.values());
    List<String> hosts = new ArrayList<>(db.members());
    db.arbitrator().filter(a -> !hosts.contains(a)).ifPresent(hosts::add);
    if (domains.size() < 3) {
      boolean plain = db.arbitrator().isEmpty() && votes.size() == daemons;
      List<String> reasons = new ArrayList<>();
      db.arbitrator()
          .filter(db.members()::contains)
          .ifPresent(
              a ->
                  reasons.add(
                      "the arbitrator runs on "
                          + a
                          + ", a member's host, so losing "
                          + a
                          + " loses two votes at once"));
      db.arbitrator()
          .filter(a -> !votes.containsValue(a))
          .ifPresent(a -> reasons.add("the arbitrator on " + a + " cannot reach every member"));
      db.members().stream()
          .filter(m -> !votes.containsKey("mariadb@" + m))
          .forEach(m -> reasons.add("member " + m + " cannot reach every other member"));
      int n = domains.size();
      return List.of(
          new Finding(
              "SPLIT_BRAIN",
              Severity.HIGH,
              hosts,
              plain
                  ? "the cluster has "
                      + n
                      + " vote"
                      + (n == 1 ? "" : "s")
                      + ": losing one member loses quorum"
                  : "the cluster's "
                      + daemons
                      + " votes stand on "
                      + n
                      + " host"
                      + (n == 1 ? "" : "s")
                      + ": losing one host loses quorum",
              plain
                  ? "with "
                      + db.members().size()
                      + " members and no arbitrator, a failed member or a network split leaves no"
                      + " majority; the survivors stop taking writes (or, forced to, both sides"
                      + " take writes and diverge)"
                  : String.join("; ", reasons)
                      + ": quorum counts hosts that can fail apart and reach each other, and a"
                      + " single failure leaves no majority",
              "add an arbitrator (garbd) on a third host: database.arbitrator, a host with role"
                  + " arbitrator"
                  + (plain
                      ? ""
                      : " of its own, on the members' network and let through their"
                          + " firewalls")));
    }
    if (domains.size() % 2 == 0) {
      return List.of(
          new Finding(
              "EVEN_QUORUM",
              Severity.MEDIUM,
              hosts,
              "the cluster has an even number of votes (" + domains.size() + ")",
              "a split down the middle leaves no majority on either side, and the whole cluster"
                  + " stops taking writes",
              "add or remove a voter (an arbitrator counts) so that the number of votes is odd"));
    }
    return List.of();
  }
}
