package dev.webinfra.plan;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/** Decides what runs where: the components of each host, from its roles. */
public final class Planner {
  private Planner() {}

  /** The components of a host, in start order. */
  public static List<Component> components(Host host) {
    List<Component> out = new ArrayList<>();
    if (host.has(Role.DNS)) {
      out.add(Component.DNSMASQ);
    }
    if (host.has(Role.DB)) {
      out.add(Component.MARIADB);
    }
    if (host.has(Role.APP)) {
      out.add(Component.APP);
    }
    if (host.has(Role.WEB)) {
      out.add(Component.NGINX);
    }
    return out;
  }

  /**
   * Fails, before anything is touched, when the topology asks for what the lab cannot run yet, so
   * that {@code up} never pretends: the design check and the diagram still work on such files.
   */
  public static void requireSupportedByLab(Topology t) {
    List<String> missing = new ArrayList<>();
    for (Host h : t.hosts()) {
      for (Role r : List.of(Role.LB, Role.ARBITRATOR, Role.MONITOR)) {
        if (h.has(r)) {
          missing.add("host " + h.name() + ": role " + r.yamlName());
        }
      }
      if (h.settings().firewall().enabled()) {
        missing.add("host " + h.name() + ": firewall.enabled");
      }
    }
    if (t.database().kind() != Database.Kind.SINGLE && t.database().kind() != Database.Kind.NONE) {
      missing.add("database topology " + t.database().kind().yamlName());
    }
    if (t.tls().enabled()) {
      missing.add("tls mode " + t.tls().mode().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (t.vip().isPresent()) {
      missing.add("vip");
    }
    if (!missing.isEmpty()) {
      throw WebinfraException.invalidInput("topology " + t.source() + " asks for what the lab cannot run yet:\n  "
          + String.join("\n  ", missing) + "\n(`webinfra check` and `webinfra diagram` work on it; `up` runs single-server today)");
    }
  }

  /**
   * The JDBC address of the database that takes the app's writes: the primary, or for a Galera
   * cluster every member, the app's own first, so the driver fails over between them by itself.
   */
  public static String writeEndpoint(Topology t, Host app) {
    List<Host> writable = t.database().writableHosts().stream().map(n -> t.host(n).orElseThrow()).toList();
    if (writable.size() == 1) {
      return jdbc(writable.get(0), app);
    }
    List<Host> ordered = new ArrayList<>(writable);
    ordered.sort(java.util.Comparator.comparing(h -> !h.equals(app)));
    return "jdbc:mariadb:sequential://" + String.join(",", ordered.stream()
        .map(h -> h.addressFor(app) + ":" + h.settings().db().port()).toList()) + "/webinfra";
  }

  /** Where the app on {@code app} reads: its own database if it holds one, else the primary. */
  public static String readEndpoint(Topology t, Host app) {
    if (app.has(Role.DB)) {
      return jdbc(app, app);
    }
    return writeEndpoint(t, app);
  }

  private static String jdbc(Host db, Host from) {
    return "jdbc:mariadb://" + db.addressFor(from) + ":" + db.settings().db().port() + "/webinfra";
  }
}
