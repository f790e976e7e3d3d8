package dev.webinfra.daemon;

import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ipv4;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything webinfra knows about one kind of daemon: where it runs, the sockets it binds and the
 * flows it takes (which the firewall opens and the design check follows), and (through its {@link
 * DaemonSpec}) its files, command line, readiness, reload and what to do before it starts. Adding a
 * daemon means one package with its unit and renderer, and one line in {@code plan.Units}.
 */
public interface DaemonUnit {

  /** The daemon's name in plans, status and {@code logs HOST NAME}: {@code haproxy}. */
  String name();

  /** Whether the daemon runs on {@code host} of {@code t}. */
  boolean runsOn(Topology t, Host host);

  /** The Debian packages the daemon comes from; setup installs them with the lab's tools. */
  default List<String> packages() {
    return List.of();
  }

  /**
   * The flows from other hosts that this daemon on {@code host} needs for the design to work. It is
   * asked of every host, not only those it {@link #runsOn}: a design can need a flow to a host that
   * nothing can reach, and the design check must see it to say so.
   */
  default List<Flow> inbound(Topology t, Host host) {
    return List.of();
  }

  /**
   * Flows the firewall opens to this daemon ahead of need, beyond {@link #inbound}: a database port
   * open to every server that could be promoted, so that a failover does not wait for a firewall
   * change.
   */
  default List<Flow> standby(Topology t, Host host) {
    return List.of();
  }

  /**
   * The flows from this daemon on {@code host} to the machine itself (the lab's host, or the
   * controller's), with {@code to} set to {@link Flow#MACHINE}: an Alertmanager posting to the
   * controller's webhook. The machine drops every other connection a lab host opens to it.
   */
  default List<Flow> toMachine(Topology t, Host host) {
    return List.of();
  }

  /** The sockets the daemon binds on {@code host}, as its rendered config says. */
  default List<Listener> listeners(Topology t, Host host) {
    return List.of();
  }

  /**
   * Statements the database's writable server runs when the database is set up, for the account
   * this daemon needs; {@code {{secret:NAME}}} stands for the lab's secret NAME as an SQL string.
   * Replication and Galera carry the account to the other servers. Empty: it needs none.
   */
  default List<String> databaseAccounts(Topology t) {
    return List.of();
  }

  /** What the daemon is on one host; a pure function of the model and the host's paths. */
  DaemonSpec spec(Topology t, Host host, HostPaths paths);

  /** Every address of {@code host}, for a daemon that binds them all. */
  static Set<Ipv4> allAddresses(Host host) {
    return host.attachments().stream().map(Attachment::address).collect(Collectors.toSet());
  }
}
