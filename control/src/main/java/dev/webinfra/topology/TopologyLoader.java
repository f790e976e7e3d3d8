package dev.webinfra.topology;

import dev.webinfra.WebinfraException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Loads a topology file and validates it once. Every problem names the file, line and column, the
 * field and what is allowed; any problem stops the load with exit code 2 before anything is
 * started.
 */
public final class TopologyLoader {

  /**
   * Lab names become part of namespace, bridge and veth names, which the kernel limits to 15 bytes.
   */
  static final Pattern LAB_NAME = Pattern.compile("[a-z][a-z0-9]{0,7}");

  static final Pattern HOST_NAME = Pattern.compile("[a-z][a-z0-9-]{0,14}");
  static final Pattern NETWORK_NAME = Pattern.compile("[a-z][a-z0-9]{0,14}");
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final int MAX_HOSTS = 99;
  static final int MAX_NETWORKS = 9;
  // Let's Encrypt's limit of names on one certificate, which names every site name.
  static final int MAX_SITE_NAMES = 100;

  private static final Set<String> TOP_KEYS =
      Set.of(
          "lab",
          "domain",
          "site",
          "networks",
          "defaults",
          "roles",
          "hosts",
          "database",
          "vip",
          "tls",
          "monitoring");

  private TopologyLoader() {}

  /** Loads and validates the file at {@code path}; any problem is an invalid-input error. */
  public static Topology load(Path path) {
    return check(path).orThrow();
  }

  /** Loads and validates topology text; {@code source} names it in messages. */
  public static Topology parse(String text, String source) {
    return checkText(text, source).orThrow();
  }

  /**
   * Loads and validates the file at {@code path}, returning every problem instead of throwing. A
   * file that is not a regular file, or is larger than {@link SafeRead#MAX_BYTES}, is refused
   * before a byte of it is read; the text must be UTF-8.
   */
  public static Loaded check(Path path) {
    String source = path.toString();
    try {
      return checkText(SafeRead.text(path), source);
    } catch (SafeRead.Refused r) {
      return Loaded.of(r.problem());
    }
  }

  /** As {@link #check(Path)}, for text already read. */
  public static Loaded checkText(String text, String source) {
    Problems problems = new Problems(source);
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(SafeRead.MAX_BYTES);
      List<Problem> unclear = Unambiguous.problems(text, source, options);
      if (!unclear.isEmpty()) {
        return new Loaded(Optional.empty(), unclear);
      }
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what =
          "not valid YAML: "
              + e.getProblem()
              + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
      return Loaded.of(
          m == null
              ? Problem.ofFile(source, what)
              : new Problem(source, m.getLine() + 1, m.getColumn() + 1, "", what));
    } catch (ReaderException e) {
      // A character YAML does not allow (a NUL, an escape code): say where, not what it was.
      int[] at = lineAndColumn(text, e.getPosition());
      return Loaded.of(
          new Problem(
              source,
              at[0],
              at[1],
              "",
              String.format(
                  java.util.Locale.ROOT,
                  "not valid YAML: character U+%04X is not allowed in a topology file",
                  e.getCodePoint())));
    } catch (YAMLException e) {
      return Loaded.of(Problem.ofFile(source, "not valid YAML: " + e.getMessage()));
    }
    if (root == null) {
      return Loaded.of(
          Problem.ofFile(
              source, "the file is empty; it needs at least lab, domain, networks and hosts"));
    }
    Topology t = new Reader(problems).read(new YamlNode(root, "", problems), source);
    return problems.isEmpty()
        ? new Loaded(Optional.of(t), List.of())
        : new Loaded(Optional.empty(), problems.all(), problems.notShown());
  }

  // 1-based line and column of the code point at index {@code codePoints} (as snakeyaml counts).
  private static int[] lineAndColumn(String text, int codePoints) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int n = 0; n < codePoints && i < text.length(); n++) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }

  /** The outcome of a load: a topology, or the problems that stopped it (never both). */
  public record Loaded(Optional<Topology> topology, List<Problem> problems, int notShown) {
    public Loaded {
      java.util.Objects.requireNonNull(topology, "topology");
      problems = List.copyOf(problems);
    }

    /** Every problem found is in {@code problems}. */
    public Loaded(Optional<Topology> topology, List<Problem> problems) {
      this(topology, problems, 0);
    }

    static Loaded of(Problem p) {
      return new Loaded(Optional.empty(), List.of(p));
    }

    /** The topology, or an invalid-input error with one line per problem. */
    public Topology orThrow() {
      if (topology.isPresent()) {
        return topology.get();
      }
      if (problems.size() == 1) {
        // One problem, one line: "topology FILE:LINE:COL: field: what is allowed".
        throw WebinfraException.invalidInput("topology " + problems.get(0));
      }
      throw WebinfraException.invalidInput(
          "topology "
              + problems.get(0).file()
              + " is invalid ("
              + (problems.size() + notShown)
              + " problems):\n"
              + problems.stream()
                  .map(p -> "  " + p)
                  .collect(java.util.stream.Collectors.joining("\n"))
              + Problems.notShownLine(notShown));
    }
  }

  /**
   * One pass over the document; problems accumulate, and the result is used only if there are none.
   */
  private static final class Reader {
    private final Problems problems;

    Reader(Problems problems) {
      this.problems = problems;
    }

    Topology read(YamlNode root, String source) {
      Map<String, YamlNode> top = root.mapping(TOP_KEYS).orElse(Map.of());
      String lab =
          required(root, top, "lab")
              .flatMap(
                  n ->
                      matching(
                          n,
                          LAB_NAME,
                          "a lab name is 1 to 8 lower-case letters or digits, starting with a"
                              + " letter"))
              .orElse("invalid");
      String domain = required(root, top, "domain").flatMap(this::domain).orElse("invalid.example");
      List<String> siteNames =
          top.containsKey("site") ? siteNames(top.get("site")) : List.of("www");

      Map<String, Network> networks = networks(root, top);
      Map<String, Object> defaults =
          top.containsKey("defaults") ? SettingsReader.read(top.get("defaults")) : Map.of();
      Map<Role, Map<String, Object>> roleSettings = roleSettings(top.get("roles"));
      Map<String, YamlNode> hostNodes = new LinkedHashMap<>();
      List<Host> hosts = hosts(root, top, networks, defaults, roleSettings, hostNodes);
      MachineOnMonitorNetworks.apply(root, networks, hosts);

      Optional<Vip> vip =
          top.containsKey("vip") ? vip(top.get("vip"), networks, hosts) : Optional.empty();
      Database database = database(top.get("database"), root, hosts);
      Tls tls =
          top.containsKey("tls")
              ? TlsReader.read(
                  top.get("tls"),
                  siteNames.stream().map(n -> n.equals("@") ? domain : n + "." + domain).toList(),
                  source)
              : Tls.off();
      crossChecks(root, hosts, hostNodes, networks, vip);
      Alerting alerting =
          top.containsKey("monitoring")
              ? AlertingReader.read(top.get("monitoring"))
              : Alerting.NONE;
      return new Topology(
          lab,
          domain,
          siteNames,
          List.copyOf(networks.values()),
          hosts,
          vip,
          database,
          tls,
          source,
          alerting);
    }

    private Optional<YamlNode> required(YamlNode parent, Map<String, YamlNode> m, String key) {
      if (!m.containsKey(key) || m.get(key).isNull()) {
        parent.problem(
            parent.path().isEmpty() ? key : parent.path() + "." + key,
            "missing required field '" + key + "'");
        return Optional.empty();
      }
      return Optional.of(m.get(key));
    }

    private Optional<String> matching(YamlNode n, Pattern p, String rule) {
      return n.string()
          .filter(
              s -> {
                if (!p.matcher(s).matches()) {
                  n.problem("'" + Shown.value(s) + "' is not allowed: " + rule);
                  return false;
                }
                return true;
              });
    }

    private Optional<String> domain(YamlNode n) {
      return n.string()
          .filter(
              s -> {
                String[] labels = s.split("\\.", -1);
                boolean ok = labels.length >= 2 && s.length() <= 253;
                for (String l : labels) {
                  ok &= DNS_LABEL.matcher(l).matches();
                }
                if (!ok) {
                  n.problem(
                      "'"
                          + Shown.value(s)
                          + "' is not a domain name; expected lower-case labels separated by dots,"
                          + " such as foobar.com");
                }
                return ok;
              });
    }

    private List<String> siteNames(YamlNode site) {
      Map<String, YamlNode> m = site.mapping(Set.of("names")).orElse(Map.of());
      if (!m.containsKey("names")) {
        return List.of("www");
      }
      List<String> names = new ArrayList<>();
      m.get("names")
          .sequence(MAX_SITE_NAMES, "site names are allowed (a certificate names at most 100)")
          .ifPresent(
              items ->
                  items.forEach(
                      i ->
                          i.string()
                              .ifPresent(
                                  s -> {
                                    if (!s.equals("@") && !DNS_LABEL.matcher(s).matches()) {
                                      i.problem(
                                          "'"
                                              + Shown.value(s)
                                              + "' is not a host name label (use @ for the bare"
                                              + " domain)");
                                    } else {
                                      names.add(s);
                                    }
                                  })));
      if (names.isEmpty() && m.get("names").size() <= MAX_SITE_NAMES) {
        m.get("names").problem("the site needs at least one name, such as www");
      }
      return names;
    }

    private Map<String, Network> networks(YamlNode root, Map<String, YamlNode> top) {
      Map<String, Network> out = new LinkedHashMap<>();
      Optional<YamlNode> node = required(root, top, "networks");
      if (node.isEmpty()) {
        return out;
      }
      Map<String, YamlNode> entries = node.get().mapping().orElse(Map.of());
      if (entries.isEmpty() && !node.get().isNull()) {
        node.get().problem("at least one network is needed");
      }
      if (entries.size() > MAX_NETWORKS) {
        node.get()
            .problem("at most " + MAX_NETWORKS + " networks are allowed, found " + entries.size());
      }
      entries.forEach(
          (name, body) -> {
            if (!NETWORK_NAME.matcher(name).matches()) {
              body.problem(
                  "network name '"
                      + Shown.value(name)
                      + "' is not allowed: 1 to 15 lower-case letters or digits, starting with a"
                      + " letter");
              return;
            }
            Map<String, YamlNode> m =
                body.mapping(Set.of("cidr", "machine_address")).orElse(Map.of());
            Optional<Cidr> cidr =
                required(body, m, "cidr")
                    .flatMap(
                        c ->
                            c.string()
                                .flatMap(
                                    s -> {
                                      Optional<Cidr> parsed = Cidr.parse(s);
                                      if (parsed.isEmpty()) {
                                        c.problem(
                                            "'"
                                                + Shown.value(s)
                                                + "' is not an IPv4 network such as 198.18.0.0/24"
                                                + " (no host bits set)");
                                      } else if (!Ipv4.LAB_RANGE.contains(parsed.get())
                                          || parsed.get().prefix() > 29) {
                                        c.problem(
                                            "'"
                                                + Shown.value(s)
                                                + "' is out of range: lab networks must lie inside "
                                                + Ipv4.LAB_RANGE
                                                + " and be /29 or larger");
                                        return Optional.empty();
                                      }
                                      return parsed;
                                    }));
            if (cidr.isEmpty()) {
              return;
            }
            for (Network other : out.values()) {
              if (other.cidr().overlaps(cidr.get())) {
                m.get("cidr")
                    .problem(
                        cidr.get()
                            + " overlaps network '"
                            + other.name()
                            + "' ("
                            + other.cidr()
                            + ")");
              }
            }
            Optional<Ipv4> machine =
                m.containsKey("machine_address")
                    ? address(m.get("machine_address"), cidr.get())
                    : name.equals("public")
                        ? Optional.of(cidr.get().lastUsable())
                        : Optional.empty();
            out.put(name, new Network(name, cidr.get(), machine));
          });
      return out;
    }

    private Optional<Ipv4> address(YamlNode n, Cidr cidr) {
      return n.string()
          .flatMap(
              s -> {
                Optional<Ipv4> ip = Ipv4.parse(s);
                if (ip.isEmpty()) {
                  n.problem("'" + Shown.value(s) + "' is not an IPv4 address");
                } else if (!cidr.isUsable(ip.get())) {
                  n.problem(
                      "address "
                          + Shown.value(s)
                          + " is out of range: it must be a host address inside "
                          + cidr
                          + " (not the network or broadcast address)");
                  return Optional.empty();
                }
                return ip;
              });
    }

    private Map<Role, Map<String, Object>> roleSettings(YamlNode node) {
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

    private List<Host> hosts(
        YamlNode root,
        Map<String, YamlNode> top,
        Map<String, Network> networks,
        Map<String, Object> defaults,
        Map<Role, Map<String, Object>> roleSettings,
        Map<String, YamlNode> hostNodes) {
      List<Host> out = new ArrayList<>();
      Optional<YamlNode> node = required(root, top, "hosts");
      if (node.isEmpty()) {
        return out;
      }
      Map<String, YamlNode> entries = node.get().mapping().orElse(Map.of());
      if (entries.size() > MAX_HOSTS) {
        node.get().problem("at most " + MAX_HOSTS + " hosts are allowed, found " + entries.size());
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
            if (!HOST_NAME.matcher(name).matches()) {
              body.problem(
                  "host name '"
                      + Shown.value(name)
                      + "' is not allowed: 1 to 15 lower-case letters, digits or '-', starting with"
                      + " a letter");
              return;
            }
            hostNodes.put(name, body);
            Map<String, YamlNode> m =
                body.mapping(Set.of("roles", "networks", "settings")).orElse(Map.of());
            List<Role> roles = new ArrayList<>();
            required(body, m, "roles")
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
            required(body, m, "networks")
                .flatMap(YamlNode::mapping)
                .ifPresent(
                    nets -> {
                      if (nets.isEmpty()) {
                        m.get("networks")
                            .problem("a host needs an address on at least one network");
                      }
                      nets.forEach(
                          (net, addr) -> {
                            Network network = networks.get(net);
                            if (network == null) {
                              addr.problem(
                                  "unknown network '"
                                      + Shown.value(net)
                                      + "'; defined: "
                                      + String.join(", ", networks.keySet()));
                              return;
                            }
                            address(addr, network.cidr())
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
            if (!roles.isEmpty() && !attachments.isEmpty()) {
              out.add(new Host(name, roles, attachments, SettingsReader.layer(layers)));
            }
          });
      if (entries.isEmpty() && !node.get().isNull()) {
        node.get().problem("at least one host is needed");
      }
      return out;
    }

    private Optional<Vip> vip(YamlNode node, Map<String, Network> networks, List<Host> hosts) {
      Map<String, YamlNode> m =
          node.mapping(Set.of("address", "network", "router_id")).orElse(Map.of());
      Optional<String> net = required(node, m, "network").flatMap(YamlNode::string);
      if (net.isEmpty()) {
        return Optional.empty();
      }
      Network network = networks.get(net.get());
      if (network == null) {
        m.get("network")
            .problem(
                "unknown network '"
                    + Shown.value(net.get())
                    + "'; defined: "
                    + String.join(", ", networks.keySet()));
        return Optional.empty();
      }
      int routerId =
          m.containsKey("router_id") ? m.get("router_id").integer(1, 255).orElse(51) : 51;
      return required(node, m, "address")
          .flatMap(
              a ->
                  address(a, network.cidr())
                      .flatMap(
                          ip -> {
                            if (network.machineAddress().filter(ip::equals).isPresent()) {
                              a.problem(
                                  "the floating IP "
                                      + ip
                                      + " is already the machine's address on "
                                      + network.name());
                              return Optional.empty();
                            }
                            for (Host h : hosts) {
                              if (h.attachments().stream()
                                  .anyMatch(at -> at.address().equals(ip))) {
                                a.problem(
                                    "the floating IP "
                                        + ip
                                        + " is already host "
                                        + h.name()
                                        + "'s own address");
                                return Optional.empty();
                              }
                            }
                            return Optional.of(new Vip(ip, network.name(), routerId));
                          }));
    }

    private Database database(YamlNode node, YamlNode root, List<Host> hosts) {
      List<String> dbHosts = hosts.stream().filter(h -> h.has(Role.DB)).map(Host::name).toList();
      if (node == null) {
        if (dbHosts.size() > 1) {
          root.problem(
              "missing field 'database': "
                  + dbHosts.size()
                  + " hosts have role db ("
                  + String.join(", ", dbHosts)
                  + "), so say how they replicate (topology: primary-replica or galera)");
        }
        return dbHosts.size() == 1
            ? new Database(
                Database.Kind.SINGLE,
                Optional.of(dbHosts.get(0)),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.empty(),
                false,
                Database.Failover.MANUAL,
                false,
                false)
            : Database.none();
      }
      Map<String, YamlNode> m =
          node.mapping(
                  Set.of(
                      "topology",
                      "primary",
                      "members",
                      "replicas",
                      "replicate_from",
                      "arbitrator",
                      "semi_sync",
                      "semi_sync_fallback",
                      "failover",
                      "causal_reads"))
              .orElse(Map.of());
      Database.Kind kind =
          required(node, m, "topology")
              .flatMap(n -> n.choice(Set.of("single", "primary-replica", "galera")))
              .map(
                  s ->
                      Database.Kind.valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_')))
              .orElse(Database.Kind.NONE);
      Optional<String> primary =
          m.containsKey("primary") ? dbHost(m.get("primary"), hosts, Role.DB) : Optional.empty();
      List<String> members =
          m.containsKey("members") ? dbHosts(m.get("members"), hosts) : List.of();
      List<String> replicas =
          m.containsKey("replicas") ? dbHosts(m.get("replicas"), hosts) : List.of();
      Optional<String> replicateFrom =
          m.containsKey("replicate_from")
              ? dbHost(m.get("replicate_from"), hosts, Role.DB)
              : Optional.empty();
      Optional<String> arbitrator =
          m.containsKey("arbitrator")
              ? dbHost(m.get("arbitrator"), hosts, Role.ARBITRATOR)
              : Optional.empty();
      boolean semiSync =
          m.containsKey("semi_sync")
              ? m.get("semi_sync").bool().orElse(false)
              : kind == Database.Kind.PRIMARY_REPLICA;
      Database.Failover failover =
          m.containsKey("failover")
              ? m.get("failover")
                  .choice(Set.of("manual", "automatic"))
                  .map(s -> Database.Failover.valueOf(s.toUpperCase(java.util.Locale.ROOT)))
                  .orElse(Database.Failover.MANUAL)
              : Database.Failover.MANUAL;
      // Durability unless the operator writes otherwise: "async" trades it for availability.
      boolean asyncFallback =
          m.containsKey("semi_sync_fallback")
              && m.get("semi_sync_fallback")
                  .choice(Set.of("wait", "async"))
                  .filter("async"::equals)
                  .isPresent();
      // Causal reads unless the operator trades them for a read's latency: a client that does not
      // see its own write is a bug to the client.
      boolean causalReads =
          kind == Database.Kind.GALERA
              && (!m.containsKey("causal_reads") || m.get("causal_reads").bool().orElse(true));

      notApplicable(m, kind);
      if (kind != Database.Kind.GALERA) {
        for (Host h : hosts) {
          if (h.has(Role.ARBITRATOR)) {
            node.problem(
                "host "
                    + h.name()
                    + " has role arbitrator, but an arbitrator (garbd) only runs for topology"
                    + " galera; this database is "
                    + kind.yamlName());
          }
        }
      } else {
        for (Host h : hosts) {
          if (h.has(Role.ARBITRATOR) && !arbitrator.filter(h.name()::equals).isPresent()) {
            node.problem(
                "host "
                    + h.name()
                    + " has role arbitrator but is not the database's arbitrator; name it in"
                    + " 'arbitrator', or drop the role (its garbd would vote unseen)");
          }
        }
      }
      Set<String> placed = new LinkedHashSet<>();
      switch (kind) {
        case SINGLE -> {
          if (primary.isEmpty() && dbHosts.size() == 1) {
            primary = Optional.of(dbHosts.get(0));
          } else if (primary.isEmpty()) {
            node.problem("topology single needs field 'primary' naming the one db host");
          }
          primary.ifPresent(placed::add);
        }
        case PRIMARY_REPLICA -> {
          if (primary.isEmpty() && !m.containsKey("primary")) {
            node.problem("topology primary-replica needs field 'primary'");
          }
          primary.ifPresent(placed::add);
          if (replicas.isEmpty() && !m.containsKey("replicas")) {
            node.problem("topology primary-replica needs field 'replicas'");
          }
          placed.addAll(replicas);
          if (!members.isEmpty()) {
            m.get("members")
                .problem("'members' belongs to topology galera; use 'primary' and 'replicas'");
          }
        }
        case GALERA -> {
          if (members.isEmpty() && !m.containsKey("members")) {
            node.problem("topology galera needs field 'members' naming the cluster nodes");
          }
          placed.addAll(members);
          placed.addAll(replicas);
          if (primary.isPresent()) {
            m.get("primary")
                .problem(
                    "'primary' belongs to topology primary-replica; galera members are all"
                        + " writable");
          }
          replicateFrom.ifPresent(
              r -> {
                if (!members.contains(r)) {
                  m.get("replicate_from")
                      .problem(
                          "'"
                              + Shown.value(r)
                              + "' is not a galera member; members: "
                              + String.join(", ", members));
                }
              });
        }
        case NONE -> {}
      }
      for (String r : replicas) {
        if (primary.isPresent() && primary.get().equals(r) || members.contains(r)) {
          m.get("replicas").problem("host " + r + " cannot be both a replica and a writable node");
        }
      }
      for (String h : dbHosts) {
        if (kind != Database.Kind.NONE && !placed.contains(h)) {
          node.problem(
              "host "
                  + h
                  + " has role db but is not placed in the database (primary, members or"
                  + " replicas)");
        }
      }
      return new Database(
          kind,
          primary,
          members,
          replicas,
          replicateFrom,
          arbitrator,
          semiSync,
          failover,
          asyncFallback,
          causalReads);
    }

    // A setting the chosen topology would silently ignore is an error: the user meant something.
    private void notApplicable(Map<String, YamlNode> m, Database.Kind kind) {
      Map<String, Set<Database.Kind>> appliesTo =
          Map.of(
              "replicate_from", Set.of(Database.Kind.GALERA),
              "arbitrator", Set.of(Database.Kind.GALERA),
              "members", Set.of(Database.Kind.GALERA),
              "semi_sync", Set.of(Database.Kind.PRIMARY_REPLICA),
              "causal_reads", Set.of(Database.Kind.GALERA),
              "replicas", Set.of(Database.Kind.PRIMARY_REPLICA, Database.Kind.GALERA),
              "failover", Set.of(Database.Kind.PRIMARY_REPLICA, Database.Kind.GALERA));
      appliesTo.forEach(
          (key, kinds) -> {
            if (m.containsKey(key) && kind != Database.Kind.NONE && !kinds.contains(kind)) {
              m.get(key)
                  .problem(
                      "'"
                          + key
                          + "' does not apply to topology "
                          + kind.yamlName()
                          + " and would be ignored; it applies to "
                          + String.join(
                              ", ", kinds.stream().map(Database.Kind::yamlName).sorted().toList()));
            }
          });
      if (kind == Database.Kind.GALERA
          && m.containsKey("replicate_from")
          && (!m.containsKey("replicas") || m.get("replicas").isNull())) {
        m.get("replicate_from")
            .problem("'replicate_from' names the source of replicas, but there are no 'replicas'");
      }
    }

    private Optional<String> dbHost(YamlNode n, List<Host> hosts, Role role) {
      return n.string()
          .filter(
              name -> {
                Optional<Host> h = hosts.stream().filter(x -> x.name().equals(name)).findFirst();
                if (h.isEmpty()) {
                  n.problem("unknown host '" + Shown.value(name) + "'");
                  return false;
                }
                if (!h.get().has(role)) {
                  n.problem("host " + name + " does not have role " + role.yamlName());
                  return false;
                }
                return true;
              });
    }

    private List<String> dbHosts(YamlNode n, List<Host> hosts) {
      List<String> out = new ArrayList<>();
      n.sequence(MAX_HOSTS, "hosts are allowed, each listed once")
          .ifPresent(
              items ->
                  items.forEach(
                      i ->
                          dbHost(i, hosts, Role.DB)
                              .ifPresent(
                                  name -> {
                                    if (out.contains(name)) {
                                      i.problem("host " + name + " is listed twice");
                                    } else {
                                      out.add(name);
                                    }
                                  })));
      return out;
    }

    private void crossChecks(
        YamlNode root,
        List<Host> hosts,
        Map<String, YamlNode> nodes,
        Map<String, Network> networks,
        Optional<Vip> vip) {
      List<Host> dns = hosts.stream().filter(h -> h.has(Role.DNS)).toList();
      boolean anyWeb = hosts.stream().anyMatch(h -> h.has(Role.WEB));
      if (!hosts.isEmpty() && !anyWeb) {
        root.problem("no host has role web; the site needs at least one web server");
      }
      for (Host h : hosts) {
        YamlNode at = nodes.get(h.name());
        if (h.has(Role.APP) && !h.has(Role.WEB)) {
          at.problem(
              "host "
                  + h.name()
                  + ": role app needs role web on the same host (nginx fronts the app)");
        }
        if (h.has(Role.CLIENT) && dns.stream().noneMatch(d -> d.sharesNetworkWith(h))) {
          at.problem(
              "host "
                  + h.name()
                  + ": role client needs a host with role dns on one of its networks");
        }
        if (h.has(Role.LB) && vip.isPresent() && h.address(vip.get().network()).isEmpty()) {
          at.problem(
              "host "
                  + h.name()
                  + ": a load balancer must be on the floating IP's network '"
                  + vip.get().network()
                  + "'");
        }
        h.settings()
            .firewall()
            .rules()
            .ifPresent(
                rules ->
                    rules.forEach(
                        r ->
                            r.from()
                                .forEach(
                                    src -> {
                                      if (!src.equals("any")
                                          && !networks.containsKey(src)
                                          && hosts.stream().noneMatch(x -> x.name().equals(src))) {
                                        at.problem(
                                            "host "
                                                + h.name()
                                                + ": firewall rule for port "
                                                + r.port()
                                                + " allows from '"
                                                + Shown.value(src)
                                                + "', which is neither a host, a network nor"
                                                + " 'any'");
                                      }
                                    })));
      }
      if (vip.isPresent() && hosts.stream().noneMatch(h -> h.has(Role.LB))) {
        root.problem("a floating IP (vip) needs at least one host with role lb to hold it");
      }
    }
  }
}
