package dev.webinfra.host;

import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.Set;

/**
 * What a site's hosts stand on, as its driver makes it: the networks and the hosts themselves, this
 * machine's guard against them, and what is left of the site when it goes. The lab's is bridges,
 * network namespaces and veths, and an nftables table on the machine ({@code host.lab.LabFabric});
 * a server site's would be the servers' interfaces as they are, reached over SSH. Services apply
 * and remove a site through this and never name what it is made of.
 */
public interface SiteFabric {

  /**
   * Each network and host that {@code t} needs, with whether it is there yet. It only reads: the
   * plan turns what is missing into its changes.
   */
  List<Wire> wiring(Topology t);

  /**
   * Closes this machine to the hosts of {@code t}, but for the flows its design declares to the
   * machine; done before the wiring, so that the machine is never open to them.
   */
  void guardMachine(Topology t);

  /**
   * Makes whatever of the wiring of {@code t} is missing, looking first, so that nothing is made
   * twice; the hosts in {@code stopped} stay cut off.
   */
  void ensure(Topology t, Set<String> stopped);

  /**
   * Gives host {@code host} its power back if it lost it and something webinfra holds can (a test
   * bed's machine), returning once it has booted; before {@code start} plans, since a plan reads
   * every host. The lab's hosts keep their namespaces through a power cut: nothing to do there.
   */
  default void powerOn(Topology t, String host) {}

  /**
   * Removes host {@code host} of {@code t} (the site as it runs now) and what was made for it, as
   * {@code scale} does once its daemons have stopped gracefully; returns what went, for scale's
   * line.
   */
  String removeHost(Topology t, String host);

  /**
   * Takes the whole site down from its name alone, so that it also cleans up after a crash or an
   * interrupted {@code up}. Each step carries on past failures of earlier ones.
   */
  void down();

  /** A description of each thing of the site still there: none once it is down. */
  List<String> leftovers();

  /**
   * How webinfra's own code runs on host {@code host} of {@code t}, with what it needs installed
   * there first: {@code load}'s visitors run so in the client host, chaos's latency proxy in its
   * source host. The lab's hosts are namespaces of this machine: this JVM's java and class path.
   */
  Java java(Topology t, String host);

  /** A {@code java} executable and the class path that holds webinfra's code, on some host. */
  record Java(String executable, String classPath) {}
}
