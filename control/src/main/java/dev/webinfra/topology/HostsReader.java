package dev.webinfra.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code roles} (settings by role) and {@code hosts}: each host's roles, its address on each
 * network (none taken twice), its settings, layered over the defaults and its roles', for a server
 * how it is reached over SSH ({@link SshReader}), and whether it is a spare web server ({@code
 * spare: true}), which runs nothing until {@code scale} brings it in.
 */
final class HostsReader {
  private HostsReader() {}

  /** Each role's settings block ({@code roles:}), read but not yet layered. */
  static Map<Role, Map<String, Object>> roleSettings(YamlNode node) {
    Map<Role, Map<String, Object>> out = new HashMap<>();
    if (node == null) {
      return out;
    }
    node.mapping()
        .ifPresent(
            m ->
                m.forEach(
                    (name, body) -> {
                      Optional<Role> role = Role.fromYaml(name);
                      if (role.isEmpty()) {
                        body.problem(
                            "unknown role '"
                                + Shown.value(name)
                                + "'; allowed: "
                                + Role.allowedNames());
                      } else {
                        out.put(role.get(), SettingsReader.read(body));
                      }
                    }));
    return out;
  }

  /** The roles a spare may have: it is a web server, which scale adds to the site and removes. */
  static final Set<Role> SPARE_ROLES = Set.of(Role.WEB, Role.APP, Role.DB);

  /**
   * The hosts, in file order; {@code hostNodes} gets each host's node, for later checks, and {@code
   * spares} the names of those marked {@code spare: true}.
   */
  static List<Host> read(
      YamlNode root,
      Map<String, YamlNode> top,
      Map<String, Network> networks,
      Map<String, Object> defaults,
      Map<Role, Map<String, Object>> roleSettings,
      SshReader.Shared ssh,
      Map<String, YamlNode> hostNodes,
      Set<String> spares) {
    List<Host> out = new ArrayList<>();
    Optional<YamlNode> node = Fields.required(root, top, "hosts");
    if (node.isEmpty()) {
      return out;
    }
    Map<String, YamlNode> entries = node.get().mapping().orElse(Map.of());
    if (entries.size() > TopologyLoader.MAX_HOSTS) {
      node.get()
          .problem(
              "at most "
                  + TopologyLoader.MAX_HOSTS
                  + " hosts are allowed, found "
                  + entries.size());
    }
    Map<Ipv4, String> taken = new HashMap<>();
    networks
        .values()
        .forEach(
            n ->
                n.machineAddress()
                    .ifPresent(a -> taken.put(a, "the machine's address on " + n.name())));
    entries.forEach(
        (name, body) -> {
          if (!TopologyLoader.HOST_NAME.matcher(name).matches()) {
            body.problem(
                "host name '"
                    + Shown.value(name)
                    + "' is not allowed: 1 to 15 lower-case letters, digits or '-', starting with"
                    + " a letter");
            return;
          }
          hostNodes.put(name, body);
          Map<String, YamlNode> m =
              body.mapping(Set.of("roles", "networks", "settings", "ssh", "spare"))
                  .orElse(Map.of());
          List<Role> roles = new ArrayList<>();
          Fields.required(body, m, "roles")
              .flatMap(n -> n.sequence(Role.values().length, "roles exist, each listed once"))
              .ifPresent(
                  items -> {
                    for (YamlNode item : items) {
                      item.string()
                          .ifPresent(
                              r ->
                                  Role.fromYaml(r)
                                      .ifPresentOrElse(
                                          role -> {
                                            if (roles.contains(role)) {
                                              item.problem("role '" + r + "' is listed twice");
                                            } else {
                                              roles.add(role);
                                            }
                                          },
                                          () ->
                                              item.problem(
                                                  "unknown role '"
                                                      + Shown.value(r)
                                                      + "'; allowed: "
                                                      + Role.allowedNames())));
                    }
                    if (items.isEmpty()) {
                      m.get("roles")
                          .problem(
                              "a host needs at least one role; allowed: " + Role.allowedNames());
                    }
                  });
          List<Attachment> attachments = new ArrayList<>();
          Fields.required(body, m, "networks")
              .flatMap(YamlNode::mapping)
              .ifPresent(
                  nets -> {
                    if (nets.isEmpty()) {
                      m.get("networks").problem("a host needs an address on at least one network");
                    }
                    nets.forEach(
                        (net, addr) -> {
                          Network network = networks.get(net);
                          if (addr.isNull()) {
                            addr.problem(
                                "host "
                                    + name
                                    + " has no address on network '"
                                    + Shown.value(net)
                                    + "': a host needs its own address on each network it is"
                                    + " attached to");
                            return;
                          }
                          if (network == null) {
                            addr.problem(
                                "unknown network '"
                                    + Shown.value(net)
                                    + "'; defined: "
                                    + String.join(", ", networks.keySet()));
                            return;
                          }
                          Fields.address(addr, network.cidr())
                              .ifPresent(
                                  ip -> {
                                    String owner = taken.putIfAbsent(ip, "host " + name);
                                    if (owner != null) {
                                      addr.problem(
                                          "address " + ip + " is already taken by " + owner);
                                    }
                                    attachments.add(new Attachment(net, ip));
                                  });
                        });
                  });
          List<Map<String, Object>> layers = new ArrayList<>();
          layers.add(defaults);
          roles.forEach(r -> layers.add(roleSettings.getOrDefault(r, Map.of())));
          if (m.containsKey("settings")) {
            layers.add(SettingsReader.read(m.get("settings")));
          }
          Optional<Ssh> server =
              m.containsKey("ssh") ? SshReader.host(m.get("ssh"), ssh) : Optional.empty();
          boolean spare =
              m.containsKey("spare") && m.get("spare").bool().orElse(false) && spare(m, roles);
          if (!roles.isEmpty() && !attachments.isEmpty()) {
            Host h = new Host(name, roles, attachments, SettingsReader.layer(layers), server);
            if (spare && h.settings().web().backup()) {
              m.get("spare")
                  .problem(
                      "host "
                          + name
                          + " is a backup server (web.backup: true), which the site needs at"
                          + " all times: a spare is an active web server that scale adds");
            }
            out.add(h);
            if (spare) {
              spares.add(name);
            }
          }
        });
    if (!out.isEmpty() && spares.size() == out.size()) {
      node.get().problem("every host is a spare: at least one host must run the site");
    }
    if (entries.isEmpty() && !node.get().isNull()) {
      node.get().problem("at least one host is needed");
    }
    return out;
  }

  // A spare is a web server and nothing else the site has one or two of: true if its roles allow.
  private static boolean spare(Map<String, YamlNode> m, List<Role> roles) {
    List<Role> other = roles.stream().filter(r -> !SPARE_ROLES.contains(r)).toList();
    if (!roles.contains(Role.WEB) || !other.isEmpty()) {
      m.get("spare")
          .problem(
              "a spare is a web server that scale adds: it needs role web, and may also have app"
                  + " and db"
                  + (other.isEmpty()
                      ? ""
                      : ", not " + String.join(", ", other.stream().map(Role::yamlName).toList())));
      return false;
    }
    return true;
  }
}
