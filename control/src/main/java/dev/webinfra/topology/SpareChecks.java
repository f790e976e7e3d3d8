package dev.webinfra.topology;

import java.util.List;
import java.util.Map;

/**
 * What a spare web server ({@code spare: true}) needs of the rest of the design, so that {@code
 * scale} can bring it in as one more of the site's web servers: their roles, and for a spare with
 * role db, a database that takes replicas.
 */
final class SpareChecks {
  private SpareChecks() {}

  static void check(
      List<Host> spares, Map<String, YamlNode> nodes, List<Host> hosts, Database database) {
    if (spares.isEmpty()) {
      return;
    }
    // The servers a spare joins: the active (not backup) web servers; scale copies the last one.
    List<Host> active =
        hosts.stream().filter(h -> h.has(Role.WEB) && !h.settings().web().backup()).toList();
    for (Host s : spares) {
      YamlNode node = nodes.get(s.name());
      if (active.isEmpty()) {
        node.problem(
            "host "
                + s.name()
                + " is a spare, but the site has no active web server that scale would add it"
                + " beside");
        continue;
      }
      Host last = active.get(active.size() - 1);
      if (!new java.util.HashSet<>(s.roles()).equals(new java.util.HashSet<>(last.roles()))) {
        node.problem(
            "host "
                + s.name()
                + " is a spare with roles "
                + names(s.roles())
                + ", but the web server "
                + last.name()
                + " it would join has "
                + names(last.roles())
                + "; give it the same roles");
      } else if (s.has(Role.DB)
          && database.kind() != Database.Kind.PRIMARY_REPLICA
          && database.kind() != Database.Kind.GALERA) {
        node.problem(
            "host "
                + s.name()
                + " is a spare with role db, which scale makes a replica, but the database ("
                + database.kind().name().toLowerCase(java.util.Locale.ROOT)
                + ") takes none; use topology primary-replica or galera");
      }
    }
  }

  private static String names(List<Role> roles) {
    return "[" + String.join(", ", roles.stream().map(Role::yamlName).toList()) + "]";
  }
}
