package dev.webinfra.topology;

import dev.webinfra.WebinfraException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads a topology file and validates it once. Every problem names the file, line and column, the
 * field and what is allowed; any problem stops the load with exit code 2 before anything is
 * started. Each section has its reader ({@link SiteReader}, {@link NetworksReader}, {@link
 * HostsReader} with {@link SshReader}, {@link VipReader}, {@link DatabaseReader}, {@link
 * TlsReader}, {@link AlertingReader}); this class composes the YAML ({@link TopologyYaml}) and
 * calls them in order.
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
          "monitoring",
          "ssh");

  private TopologyLoader() {}

  /** Loads and validates the file at {@code path}; any problem is an invalid-input error. */
  public static Topology load(Path path) {
    return check(path).orThrow();
  }

  /**
   * Loads a copy of a topology file kept elsewhere (a lab's), whose relative paths start at {@code
   * base}, its original's directory.
   */
  public static Topology load(Path copy, Path base) {
    String source = copy.toString();
    try {
      return checkText(SafeRead.text(copy), source, base).orThrow();
    } catch (SafeRead.Refused r) {
      return Loaded.of(r.problem()).orThrow();
    }
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
    return checkText(text, source, null);
  }

  private static Loaded checkText(String text, String source, Path base) {
    TopologyYaml.Composed composed = TopologyYaml.compose(text, source);
    if (!composed.problems().isEmpty()) {
      return new Loaded(Optional.empty(), composed.problems());
    }
    if (composed.root() == null) {
      return Loaded.of(
          Problem.ofFile(
              source, "the file is empty; it needs at least lab, domain, networks and hosts"));
    }
    Problems problems = new Problems(source).base(base);
    Topology t = read(new YamlNode(composed.root(), "", problems), source);
    return problems.isEmpty()
        ? new Loaded(Optional.of(t), List.of())
        : new Loaded(Optional.empty(), problems.all(), problems.notShown());
  }

  /**
   * One pass over the document, section by section; problems accumulate in the nodes' {@link
   * Problems}, in this order, and the result is used only if there are none.
   */
  private static Topology read(YamlNode root, String source) {
    Map<String, YamlNode> top = root.mapping(TOP_KEYS).orElse(Map.of());
    String lab = SiteReader.lab(root, top);
    String domain = SiteReader.domain(root, top);
    List<String> siteNames =
        top.containsKey("site") ? SiteReader.names(top.get("site")) : List.of("www");

    Map<String, Network> networks = NetworksReader.read(root, top, SshReader.servers(root));
    Map<String, Object> defaults =
        top.containsKey("defaults") ? SettingsReader.read(top.get("defaults")) : Map.of();
    Map<Role, Map<String, Object>> roleSettings = HostsReader.roleSettings(top.get("roles"));
    Map<String, YamlNode> hostNodes = new LinkedHashMap<>();
    Set<String> spareNames = new java.util.LinkedHashSet<>();
    List<Host> listed =
        HostsReader.read(
            root,
            top,
            networks,
            defaults,
            roleSettings,
            SshReader.shared(top.get("ssh")),
            hostNodes,
            spareNames);
    SshReader.allOfOneKind(listed, hostNodes);
    // Spares run nothing until scale brings them in: the site is its other hosts.
    List<Host> hosts = listed.stream().filter(h -> !spareNames.contains(h.name())).toList();
    List<Host> spares = listed.stream().filter(h -> spareNames.contains(h.name())).toList();
    // Servers reach the controller on their monitoring host, not on the machine webinfra runs on.
    if (hosts.stream().noneMatch(h -> h.ssh().isPresent())) {
      MachineOnMonitorNetworks.apply(root, networks, hosts);
    }

    Optional<Vip> vip =
        top.containsKey("vip") ? VipReader.read(top.get("vip"), networks, hosts) : Optional.empty();
    Database database = DatabaseReader.read(top.get("database"), root, hosts, spareNames);
    Tls tls =
        top.containsKey("tls")
            ? TlsReader.read(
                top.get("tls"),
                siteNames.stream().map(n -> n.equals("@") ? domain : n + "." + domain).toList(),
                source)
            : Tls.off();
    CrossChecks.check(root, hosts, hostNodes, networks, vip, spares);
    SpareChecks.check(spares, hostNodes, hosts, database);
    Alerting alerting =
        top.containsKey("monitoring") ? AlertingReader.read(top.get("monitoring")) : Alerting.NONE;
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
        alerting,
        spares);
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
}
