package dev.webinfra.apply;

import dev.webinfra.WebinfraException;
import dev.webinfra.analysis.Analyzer;
import dev.webinfra.analysis.Finding;
import dev.webinfra.topology.AppProgram;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * What {@code up} refuses before it touches a host, because the app could never start: two daemons
 * of a host on one port, a command whose program the host lacks, a user the host does not have.
 * Each refusal is one line that says where the topology asks for it.
 */
public final class AppPreflight {
  private AppPreflight() {}

  /** Refuses two daemons of one host on one port: the second could never start. */
  public static void ports(Topology t) {
    List<Finding> clashes =
        Analyzer.analyze(t).stream().filter(f -> f.id().equals("PORT_CONFLICT")).toList();
    if (!clashes.isEmpty()) {
      Finding f = clashes.get(0);
      throw WebinfraException.invalidInput(
          "topology " + t.source() + ": " + f.title() + "; " + f.fix());
    }
  }

  /**
   * Refuses an app whose program or user a host lacks; {@code hasProgram} and {@code hasUser}
   * answer for a host and a name, as the host driver sees them. Run once the packages the topology
   * names are installed.
   */
  public static void programs(
      Topology t, BiPredicate<Host, String> hasProgram, BiPredicate<Host, String> hasUser) {
    for (Host h : t.hostsWith(Role.APP)) {
      var app = h.settings().app();
      if (app.program() instanceof AppProgram.Command c && !hasProgram.test(h, c.program())) {
        throw WebinfraException.invalidInput(
            "topology "
                + c.named()
                + ": app.command: host "
                + h.name()
                + " has no program '"
                + c.program()
                + "' on its PATH; install it (app.packages names Debian packages) or give its"
                + " full path");
      }
      if (!app.guestbook() && !hasUser.test(h, app.user())) {
        throw WebinfraException.invalidInput(
            "topology "
                + t.source()
                + ": app.user: host "
                + h.name()
                + " has no user '"
                + app.user()
                + "'; create it (useradd --system "
                + app.user()
                + ") or leave app.user out (webinfra)");
      }
    }
  }
}
