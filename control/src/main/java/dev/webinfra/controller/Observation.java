package dev.webinfra.controller;

import java.time.Instant;
import java.util.List;

/**
 * What the controller saw of a lab at one instant: the input of detection, so that detection is a
 * pure function that tests can feed.
 *
 * @param at when it was seen
 * @param hosts every host of the lab
 */
public record Observation(Instant at, List<HostSeen> hosts) {
  public Observation {
    hosts = List.copyOf(hosts);
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
   * @param started it was started in this lab (it has a pid file)
   * @param alive its process is alive in its host
   * @param holdsFloatingIp it manages the floating IP and its host holds the IP now
   */
  public record DaemonSeen(String name, boolean started, boolean alive, boolean holdsFloatingIp) {}
}
