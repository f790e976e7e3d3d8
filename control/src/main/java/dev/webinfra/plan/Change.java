package dev.webinfra.plan;

import java.util.List;
import java.util.Objects;

/**
 * One thing {@code up} will do, or leave alone, and why: {@code app on web1: restart (command line:
 * -Xmx128m -> -Xmx96m)}.
 *
 * @param kind what is changed: a network, a host, a firewall, a daemon
 * @param host the host it is on, or the network's name
 * @param name the daemon's name, or null for a host, network or firewall
 * @param action what is done
 * @param reasons why; one entry per cause
 */
public record Change(Kind kind, String host, String name, Action action, List<String> reasons) {
  /** What a change is to. */
  public enum Kind {
    /** A network: a bridge in the lab. */
    NETWORK,
    /** A host: its namespace and links in the lab. */
    HOST,
    /** A host's firewall ruleset. */
    FIREWALL,
    /** A daemon on a host. */
    DAEMON
  }

  /** What {@code up} does. */
  public enum Action {
    /** Make it: it does not exist. */
    CREATE,
    /** Start it: it exists but does not run. */
    START,
    /** Stop and start it: what defines it changed. */
    RESTART,
    /** Give it its new config without a restart. */
    RELOAD,
    /** Nothing: it is as it should be, or its host is stopped on purpose. */
    KEEP;

    /** The word printed in a plan. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(action, "action");
    reasons = List.copyOf(reasons);
  }

  /** Whether {@code up} acts on it. */
  public boolean changes() {
    return action != Action.KEEP;
  }

  /** What it is about, as printed: {@code app on web1}, {@code host web1}. */
  public String target() {
    return switch (kind) {
      case NETWORK -> "network " + host;
      case HOST -> "host " + host;
      case FIREWALL -> "firewall on " + host;
      case DAEMON -> name + " on " + host;
    };
  }

  /** One line: the target, the action and the reasons. */
  public String describe() {
    return target()
        + ": "
        + action.word()
        + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
  }
}
