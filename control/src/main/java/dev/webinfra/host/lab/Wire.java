package dev.webinfra.host.lab;

/**
 * One piece of the wiring a lab's topology needs, as the lab has it now: a network's bridge or a
 * host's namespace, and whether it is there. The plan decides what to do about it.
 *
 * @param kind a network or a host
 * @param name the network's or the host's name in the topology
 * @param present whether it is there
 * @param missing what is missing when it is not ({@code no bridge wbdemo0})
 */
public record Wire(Kind kind, String name, boolean present, String missing) {
  /** What a wire is. */
  public enum Kind {
    NETWORK,
    HOST
  }
}
