package dev.webinfra.plan;

import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Reload;
import java.util.List;
import java.util.Optional;

/** The pure rules of planning: from what runs and what should, the change to make and why. */
public final class Decide {
  private Decide() {}

  /**
   * What to do with one daemon.
   *
   * @param host its host
   * @param name its unit's name
   * @param hostStopped whether its host is stopped on purpose (then it is left alone)
   * @param running whether it runs now
   * @param recorded the fingerprint it was started or reloaded with, if known
   * @param desired the fingerprint it should have
   * @param reload how it takes a config change
   */
  public static Change daemon(
      String host,
      String name,
      boolean hostStopped,
      boolean running,
      Optional<Fingerprint> recorded,
      Fingerprint desired,
      Reload.Kind reload) {
    if (hostStopped) {
      return change(host, name, Change.Action.KEEP, List.of("host " + host + " is stopped"));
    }
    if (!running) {
      return recorded.isEmpty()
          ? change(host, name, Change.Action.CREATE, List.of("new"))
          : change(host, name, Change.Action.START, List.of("not running"));
    }
    if (recorded.isEmpty()) {
      return change(host, name, Change.Action.RESTART, List.of("no record of how it was started"));
    }
    List<String> why = desired.changesFrom(recorded.get());
    if (why.isEmpty()) {
      return change(host, name, Change.Action.KEEP, List.of());
    }
    boolean reloadable = reload != Reload.Kind.RESTART && desired.sameCommand(recorded.get());
    return change(host, name, reloadable ? Change.Action.RELOAD : Change.Action.RESTART, why);
  }

  private static Change change(String host, String name, Change.Action a, List<String> why) {
    return new Change(Change.Kind.DAEMON, host, name, a, why);
  }
}
