package dev.webinfra.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads {@code settings} blocks and layers them: built-in defaults, the file's {@code defaults},
 * each role's block, then the host's own. A later layer replaces a single key, not a whole section.
 */
final class SettingsReader {

  /** One known key: its section, name, reader and built-in default. */
  private record Key(
      String section, String name, Function<YamlNode, Optional<?>> reader, Object defaultValue) {
    String id() {
      return section + "." + name;
    }
  }

  private static final List<Key> KEYS =
      List.of(
          new Key("app", "port", n -> n.integer(1, 65535), 8080),
          new Key("app", "heap_mb", n -> n.integer(32, 4096), 128),
          new Key("app", "pool_size", n -> n.integer(1, 64), 4),
          // jar, command and dir make one "app.program" (see AppReader); null: not given here.
          new Key("app", "jar", AppReader::jar, null),
          new Key("app", "command", AppReader::command, null),
          new Key("app", "dir", AppReader::dir, null),
          new Key("app", "health", AppReader::health, "/health"),
          new Key("app", "env", AppReader::env, java.util.Map.of()),
          new Key("app", "user", AppReader::user, "webinfra"),
          new Key("app", "packages", AppReader::packages, List.of()),
          new Key("web", "port", n -> n.integer(1, 65535), 80),
          new Key("web", "workers", n -> n.integer(1, 16), 1),
          new Key("web", "backup", YamlNode::bool, false),
          new Key("db", "port", n -> n.integer(1, 65535), 3306),
          new Key("db", "buffer_pool_mb", n -> n.integer(16, 8192), 64),
          new Key("db", "binlog", YamlNode::bool, true),
          new Key("lb", "health_checks", YamlNode::bool, true),
          new Key("lb", "check_inter_ms", n -> n.integer(100, 60000), 500),
          new Key("lb", "check_fall", n -> n.integer(1, 10), 2),
          new Key("lb", "check_rise", n -> n.integer(1, 10), 2),
          new Key("firewall", "enabled", YamlNode::bool, false),
          new Key("firewall", "rules", SettingsReader::rules, Optional.empty()),
          new Key("monitoring", "agent", YamlNode::bool, false));

  private static final Set<String> SECTIONS =
      KEYS.stream()
          .map(Key::section)
          .collect(Collectors.toCollection(java.util.LinkedHashSet::new));

  private SettingsReader() {}

  /** Reads one settings block into key id → value, reporting unknown sections and keys. */
  static Map<String, Object> read(YamlNode block) {
    Map<String, Object> values = new LinkedHashMap<>();
    YamlNode[] appBody = new YamlNode[1];
    block
        .mapping(SECTIONS)
        .ifPresent(
            sections ->
                sections.forEach(
                    (section, body) -> {
                      if (!SECTIONS.contains(section)) {
                        return;
                      }
                      if (section.equals("app")) {
                        appBody[0] = body;
                      }
                      Set<String> names =
                          KEYS.stream()
                              .filter(k -> k.section().equals(section))
                              .map(Key::name)
                              .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
                      body.mapping(names)
                          .ifPresent(
                              entries ->
                                  entries.forEach(
                                      (name, value) ->
                                          KEYS.stream()
                                              .filter(
                                                  k ->
                                                      k.section().equals(section)
                                                          && k.name().equals(name))
                                              .findFirst()
                                              .ifPresent(
                                                  k ->
                                                      k.reader()
                                                          .apply(value)
                                                          .ifPresent(v -> values.put(k.id(), v)))));
                    }));
    if (appBody[0] != null) {
      AppReader.program(appBody[0], values);
    }
    return values;
  }

  /** Layers the blocks over the built-in defaults and builds the typed settings. */
  @SuppressWarnings("unchecked")
  static Settings layer(List<Map<String, Object>> layers) {
    Map<String, Object> merged = new LinkedHashMap<>();
    KEYS.forEach(k -> merged.put(k.id(), k.defaultValue()));
    merged.put(AppReader.PROGRAM, new AppProgram.Guestbook());
    layers.forEach(merged::putAll);
    Object rules = merged.get("firewall.rules");
    return new Settings(
        new Settings.App(
            (int) merged.get("app.port"),
            (int) merged.get("app.heap_mb"),
            (int) merged.get("app.pool_size"),
            (AppProgram) merged.get(AppReader.PROGRAM),
            (String) merged.get("app.health"),
            (Map<String, String>) merged.get("app.env"),
            (String) merged.get("app.user"),
            (List<String>) merged.get("app.packages")),
        new Settings.Web(
            (int) merged.get("web.port"),
            (int) merged.get("web.workers"),
            (boolean) merged.get("web.backup")),
        new Settings.Db(
            (int) merged.get("db.port"),
            (int) merged.get("db.buffer_pool_mb"),
            (boolean) merged.get("db.binlog")),
        new Settings.Lb(
            (boolean) merged.get("lb.health_checks"),
            (int) merged.get("lb.check_inter_ms"),
            (int) merged.get("lb.check_fall"),
            (int) merged.get("lb.check_rise")),
        new Settings.Firewall(
            (boolean) merged.get("firewall.enabled"),
            rules instanceof List<?> l ? Optional.of((List<FirewallRule>) l) : Optional.empty()),
        new Settings.Monitoring((boolean) merged.get("monitoring.agent")));
  }

  // Bounds that no design reaches and that keep check's work on hand-written rules small: a host
  // listens on about 20 ports, and a rule's distinct sources are the hosts, the networks and any.
  static final int MAX_RULES = 64;
  static final int MAX_SOURCES = TopologyLoader.MAX_HOSTS + TopologyLoader.MAX_NETWORKS + 1;

  private static Optional<?> rules(YamlNode node) {
    return node.sequence(
            MAX_RULES, "firewall rules are allowed: one a port, naming every source it admits")
        .map(
            items -> {
              List<FirewallRule> out = new ArrayList<>();
              for (YamlNode item : items) {
                item.mapping(Set.of("port", "proto", "from"))
                    .ifPresent(
                        m -> {
                          int port =
                              m.containsKey("port")
                                  ? m.get("port").integer(0, 65535).orElse(-1)
                                  : 0;
                          FirewallRule.Proto proto =
                              m.containsKey("proto")
                                  ? m.get("proto")
                                      .choice(Set.of("tcp", "udp", "vrrp"))
                                      .map(
                                          p ->
                                              FirewallRule.Proto.valueOf(
                                                  p.toUpperCase(java.util.Locale.ROOT)))
                                      .orElse(null)
                                  : FirewallRule.Proto.TCP;
                          List<String> from =
                              m.containsKey("from")
                                  ? m.get("from")
                                      .strings(
                                          MAX_SOURCES,
                                          "sources are allowed (each host, each network and"
                                              + " any)")
                                      .orElse(List.of())
                                  : List.of("any");
                          if (port >= 0 && proto != null) {
                            out.add(new FirewallRule(port, proto, from));
                          }
                        });
              }
              return out;
            });
  }
}
