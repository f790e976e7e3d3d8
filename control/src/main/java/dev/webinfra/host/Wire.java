package dev.webinfra.host;

/**
 * One piece of the wiring a site's topology needs, as the site has it now: a network or a host, and
 * whether it is there (in the lab, a network's bridge or a host's namespace). The plan decides what
 * to do about it.
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
