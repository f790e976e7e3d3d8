package dev.webinfra.analysis;

import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * What running the site takes: monitoring that sees every server, maintenance without downtime,
 * room to scale, and the lab's one machine.
 */
final class Operations {
  private Operations() {}

  static List<Finding> monitoring(Topology t) {
    List<Host> monitors = t.hostsWith(Role.MONITOR);
    List<Host> served =
        t.hosts().stream()
            .filter(h -> h.has(Role.LB) || h.has(Role.WEB) || h.has(Role.DB))
            .toList();
    if (monitors.isEmpty()) {
      return List.of(
          new Finding(
              "NO_MONITORING",
              Severity.MEDIUM,
              Finding.names(served),
              "nothing watches the infrastructure",
              "a failed daemon, a full disk or a lagging replica goes unnoticed until users notice",
              "add a monitoring host (role monitor) and monitoring agents on every server and load"
                  + " balancer (monitoring.agent: true)"));
    }
    List<Finding> out = new ArrayList<>();
    List<Host> unwatched = served.stream().filter(h -> !h.settings().monitoring().agent()).toList();
    // An agent no monitoring host shares a network with reports to nobody.
    List<Host> unreachable =
        t.hosts().stream()
            .filter(h -> h.settings().monitoring().agent() && !h.has(Role.MONITOR))
            .filter(h -> monitors.stream().noneMatch(m -> m.sharesNetworkWith(h)))
            .toList();
    if (!unreachable.isEmpty()) {
      out.add(
          new Finding(
              "MONITORING_GAP",
              Severity.MEDIUM,
              Finding.names(unreachable),
              "monitoring agent on "
                  + String.join(", ", Finding.names(unreachable))
                  + " cannot be reached",
              "no monitoring host shares a network with "
                  + String.join(", ", Finding.names(unreachable))
                  + ", so nothing collects what the agent reports",
              "attach a monitoring host to that network, or give the host an address on the"
                  + " monitoring host's network"));
    }
    if (!unwatched.isEmpty()) {
      out.add(
          new Finding(
              "MONITORING_GAP",
              Severity.MEDIUM,
              Finding.names(unwatched),
              "no monitoring agent on " + String.join(", ", Finding.names(unwatched)),
              "these hosts serve the site, but nothing reports their state to "
                  + monitors.get(0).name(),
              "set monitoring.agent: true on them"));
    }
    if (monitors.size() == 1) {
      out.add(
          new Finding(
              "SINGLE_MONITORING_HOST",
              Severity.LOW,
              Finding.names(monitors),
              "a single monitoring host",
              "if "
                  + monitors.get(0).name()
                  + " fails, the site keeps running but nobody is told about the next failure",
              "run a second monitoring server, or alert on the monitoring host's own absence from"
                  + " outside"));
    }
    return out;
  }

  static List<Finding> maintenance(Topology t) {
    List<Finding> out = new ArrayList<>();
    List<Host> webs = t.hostsWith(Role.WEB);
    List<Host> lbs = t.hostsWith(Role.LB);
    if (webs.size() == 1) {
      out.add(
          new Finding(
              "MAINTENANCE_DOWNTIME",
              Severity.MEDIUM,
              Finding.names(webs),
              "maintenance means downtime",
              "deploying new code or restarting nginx, the app or MariaDB on "
                  + webs.get(0).name()
                  + " takes the site offline",
              "run several servers behind a load balancer and update them one at a time"));
    } else if (lbs.size() == 1) {
      out.add(
          new Finding(
              "MAINTENANCE_DOWNTIME",
              Severity.MEDIUM,
              Finding.names(lbs),
              "maintenance of the load balancer means downtime",
              "upgrading or rebooting "
                  + lbs.get(0).name()
                  + " takes the site offline, however many servers stand behind it",
              "add a second load balancer with a floating IP, and move the IP before maintenance"));
    }
    return out;
  }

  static List<Finding> scaling(Topology t) {
    List<Host> webs = t.hostsWith(Role.WEB);
    if (webs.size() == 1 && t.hostsWith(Role.LB).isEmpty()) {
      return List.of(
          new Finding(
              "NO_HORIZONTAL_SCALING",
              Severity.MEDIUM,
              Finding.names(webs),
              "the site cannot grow past one server",
              "with DNS pointing at "
                  + webs.get(0).name()
                  + " itself, a traffic surge can only be met by a bigger machine",
              "put a load balancer in front so that servers can be added (scale out), as"
                  + " three-servers.yaml does"));
    }
    Database db = t.database();
    if (db.writableHosts().size() >= 1 && webs.size() > 1) {
      String writers = String.join(", ", db.writableHosts());
      return List.of(
          new Finding(
              "WRITE_SCALING_LIMIT",
              Severity.LOW,
              db.writableHosts(),
              "writes do not scale out",
              db.kind() == Database.Kind.GALERA
                  ? "every Galera member applies every write, so adding members adds read capacity"
                      + " only"
                  : "every write goes to " + writers + "; adding servers adds read capacity only",
              "keep writes small and batched; shard the data or move write-heavy work to a queue if"
                  + " writes outgrow one server"));
    }
    return List.of();
  }

  static List<Finding> oneMachine(Topology t) {
    if (t.onServers()) {
      return List.of(); // each host is a server of its own
    }
    return List.of(
        new Finding(
            "SINGLE_MACHINE_LAB",
            Severity.INFO,
            List.of(),
            "in the lab, every host is a namespace on one machine",
            "the lab proves the design's behaviour, not its hardware redundancy: a failure of the"
                + " machine takes every host down at once",
            "run the same topology on separate servers (hosts with an ssh block) for production"));
  }
}
