package dev.webinfra.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads how webinfra reaches servers over SSH: the top-level {@code ssh} block (what every server
 * shares: user, port, identity, known_hosts) and each host's {@code ssh} block (its address, and
 * any of the shared fields it sets otherwise). A topology's hosts are all lab hosts or all servers.
 */
final class SshReader {
  // A login name as adduser allows it.
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  // An RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
  static final Pattern HOST_NAME =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  private static final Set<String> SHARED = Set.of("user", "port", "identity", "known_hosts");
  private static final Set<String> PER_HOST =
      Set.of("address", "user", "port", "identity", "interfaces");
  // A Linux interface name: at most 15 characters, no slash or white space.
  static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");

  /** What every server shares, from the top-level block or the defaults. */
  record Shared(String user, int port, Optional<Path> identity, Path knownHosts) {
    static final Shared DEFAULT =
        new Shared(
            Ssh.DEFAULT_USER,
            Ssh.DEFAULT_PORT,
            Optional.empty(),
            Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
  }

  private SshReader() {}

  /**
   * Whether the file describes servers: it has a top-level {@code ssh} block or a host with one.
   * Known before the sections are read, since a lab's networks are held to the lab's range.
   */
  static boolean servers(YamlNode root) {
    if (!root.peek("ssh").isEmpty()) {
      return true;
    }
    return root.peek("hosts").stream()
        .flatMap(hosts -> hosts.peekValues().stream())
        .anyMatch(h -> !h.peek("ssh").isEmpty());
  }

  /** The top-level {@code ssh} block; absent, the defaults. */
  static Shared shared(YamlNode node) {
    if (node == null) {
      return Shared.DEFAULT;
    }
    Map<String, YamlNode> m = node.mapping(SHARED).orElse(Map.of());
    Shared d = Shared.DEFAULT;
    return new Shared(
        m.containsKey("user") ? user(m.get("user")).orElse(d.user()) : d.user(),
        m.containsKey("port") ? m.get("port").integer(1, 65535).orElse(d.port()) : d.port(),
        m.containsKey("identity") ? identity(m.get("identity")) : d.identity(),
        m.containsKey("known_hosts")
            ? Fields.path(m.get("known_hosts")).orElse(d.knownHosts())
            : d.knownHosts());
  }

  /** A host's {@code ssh} block, over what servers share. */
  static Optional<Ssh> host(YamlNode node, Shared shared) {
    Map<String, YamlNode> m = node.mapping(PER_HOST).orElse(null);
    if (m == null) {
      return Optional.empty();
    }
    Optional<String> address = Fields.required(node, m, "address").flatMap(SshReader::address);
    Optional<String> user =
        m.containsKey("user") ? user(m.get("user")) : Optional.of(shared.user());
    Optional<Integer> port =
        m.containsKey("port") ? m.get("port").integer(1, 65535) : Optional.of(shared.port());
    Optional<Path> identity =
        m.containsKey("identity") ? identity(m.get("identity")) : shared.identity();
    Map<String, String> interfaces = new java.util.LinkedHashMap<>();
    boolean ifacesOk = true;
    if (m.containsKey("interfaces")) {
      Map<String, YamlNode> ifaces = m.get("interfaces").mapping().orElse(null);
      if (ifaces == null) {
        ifacesOk = false;
      } else {
        for (Map.Entry<String, YamlNode> e : ifaces.entrySet()) {
          Optional<String> name =
              Fields.matching(
                  e.getValue(),
                  IFACE,
                  "an interface name: up to 15 letters, digits, '_', '.', '@' or '-'");
          name.ifPresent(n -> interfaces.put(e.getKey(), n));
          ifacesOk &= name.isPresent();
        }
      }
    }
    if (address.isEmpty() || user.isEmpty() || port.isEmpty() || !ifacesOk) {
      return Optional.empty();
    }
    return Optional.of(
        new Ssh(address.get(), user.get(), port.get(), identity, shared.knownHosts(), interfaces));
  }

  /**
   * A topology's hosts are lab hosts or servers, never both: once one host has an {@code ssh}
   * block, each host without one gets a problem at its node.
   */
  static void allOfOneKind(List<Host> hosts, Map<String, YamlNode> hostNodes) {
    Optional<Host> server = hosts.stream().filter(h -> h.ssh().isPresent()).findFirst();
    if (server.isEmpty()) {
      return;
    }
    for (Host h : hosts) {
      if (h.ssh().isEmpty()) {
        hostNodes
            .get(h.name())
            .problem(
                "host "
                    + h.name()
                    + " has no ssh block, but host "
                    + server.get().name()
                    + " has one: a topology is all lab hosts or all servers reached over SSH; give "
                    + h.name()
                    + " an ssh block with its address");
      }
    }
  }

  private static Optional<String> address(YamlNode n) {
    return n.string()
        .filter(
            s -> {
              if (Ipv4.parse(s).isPresent()
                  || HOST_NAME.matcher(s).matches() && s.length() <= 253) {
                return true;
              }
              n.problem("'" + Shown.value(s) + "' is neither an IPv4 address nor a host name");
              return false;
            });
  }

  private static Optional<String> user(YamlNode n) {
    return Fields.matching(
        n, USER, "a login name: a lower-case letter or '_', then letters, digits, '_' or '-'");
  }

  private static Optional<Path> identity(YamlNode n) {
    return Fields.existing(n, Files::isRegularFile, "identity file");
  }
}
