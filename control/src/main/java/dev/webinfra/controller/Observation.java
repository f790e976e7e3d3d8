package dev.webinfra.controller;

import java.time.Instant;
import java.util.List;

/**
 * What the controller saw of a lab at one instant: the input of detection, so that detection is a
 * pure function that tests can feed.
 *
 * @param at when it was seen
 * @param hosts every host of the lab
 * @param database the primary-replica set under automatic failover, or null when there is none
 * @param cluster a Galera cluster's asynchronous replicas, or null when there are none
 */
public record Observation(
    Instant at, List<HostSeen> hosts, DatabaseSeen database, ClusterSeen cluster) {
  public Observation {
    hosts = List.copyOf(hosts);
  }

  /** A lab whose database has no Galera cluster with replicas. */
  public Observation(Instant at, List<HostSeen> hosts, DatabaseSeen database) {
    this(at, hosts, database, null);
  }

  /** A lab with no database under automatic failover. */
  public Observation(Instant at, List<HostSeen> hosts) {
    this(at, hosts, null);
  }

  /**
   * The primary as the controller sees it and, only when it looks dead, as its replicas see it.
   *
   * @param primary the current primary
   * @param reachable the controller reaches it: its host is up and its server runs
   * @param replicas each replica's view, asked only when {@code reachable} is false
   * @param fencedBack former primaries fenced by a failover whose server runs again
   */
  public record DatabaseSeen(
      String primary, boolean reachable, List<ReplicaSeen> replicas, List<String> fencedBack) {
    public DatabaseSeen {
      replicas = List.copyOf(replicas);
      fencedBack = List.copyOf(fencedBack);
    }
  }

  /**
   * One replica's view of its primary.
   *
   * @param name the replica
   * @param answers its server answered the controller
   * @param fromPrimary its {@code Master_Host} is the current primary's address: a replica that
   *     still streams from another server (a stale view, as before a promotion reached it) says
   *     nothing about the primary
   * @param ioRunning {@code Slave_IO_Running}: Yes, Connecting or No
   * @param lastIoErrno {@code Last_IO_Errno}
   * @param received {@code Gtid_IO_Pos}: what it received
   * @param applied {@code gtid_slave_pos}: what it applied
   */
  public record ReplicaSeen(
      String name,
      boolean answers,
      boolean fromPrimary,
      String ioRunning,
      int lastIoErrno,
      String received,
      String applied) {
    /** Whether it still streams from its primary: then the primary is not dead. */
    public boolean stillReplicates() {
      return answers && fromPrimary && "Yes".equals(ioRunning) && lastIoErrno == 0;
    }
  }

  /**
   * One host.
   *
   * @param name its name
   * @param stoppedOnPurpose an operator stopped it ({@code webinfra stop})
   * @param linksUp its links are up (only looked at when a daemon of it is dead)
   * @param daemons its daemons
   */
  public record HostSeen(
      String name, boolean stoppedOnPurpose, boolean linksUp, List<DaemonSeen> daemons) {
    public HostSeen {
      daemons = List.copyOf(daemons);
    }
  }

  /**
   * One daemon.
   *
   * @param name its unit's name
   * @param started it was started in this lab (its supervisor knows it)
   * @param alive it runs in its host
   * @param holdsFloatingIp it manages the floating IP and its host holds the IP now
   */
  public record DaemonSeen(String name, boolean started, boolean alive, boolean holdsFloatingIp) {}
}
