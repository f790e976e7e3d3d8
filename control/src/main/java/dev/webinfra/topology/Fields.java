package dev.webinfra.topology;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks shared by the topology's section readers: a required field, a pattern, an address, a path.
 */
final class Fields {
  private Fields() {}

  /** The field {@code key} of {@code m}; missing or null, a problem at {@code parent}. */
  static Optional<YamlNode> required(YamlNode parent, Map<String, YamlNode> m, String key) {
    if (!m.containsKey(key) || m.get(key).isNull()) {
      parent.problem(
          parent.path().isEmpty() ? key : parent.path() + "." + key,
          "missing required field '" + key + "'");
      return Optional.empty();
    }
    return Optional.of(m.get(key));
  }

  /** The text of {@code n} if it matches {@code p}; otherwise a problem naming {@code rule}. */
  static Optional<String> matching(YamlNode n, Pattern p, String rule) {
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

  /** A host address inside {@code cidr} (not its network or broadcast address). */
  static Optional<Ipv4> address(YamlNode n, Cidr cidr) {
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

  /** The path {@code node} names, if it is {@code what}; else a problem at the node. */
  static Optional<Path> existing(
      YamlNode node, java.util.function.Predicate<Path> is, String what) {
    return path(node)
        .filter(
            p -> {
              if (!is.test(p)) {
                node.problem(
                    "no "
                        + what
                        + " at "
                        + Shown.value(p.toString())
                        + " (relative paths start at the topology file's directory)");
                return false;
              }
              return true;
            });
  }

  /** The path {@code node} names; relative paths start at the topology file's directory. */
  static Optional<Path> path(YamlNode node) {
    Optional<String> name = node.string();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String s = name.get();
    if (s.isBlank() || hasControl(s)) {
      node.problem("'" + Shown.value(s) + "' is not a path (empty, or a control character)");
      return Optional.empty();
    }
    try {
      // Relative paths are relative to the topology file, wherever webinfra runs from.
      Path base = node.problems().base();
      return Optional.of(base.resolve(s).normalize());
    } catch (InvalidPathException e) {
      node.problem("'" + Shown.value(s) + "' is not a path: " + e.getReason());
      return Optional.empty();
    }
  }

  /** Whether {@code s} holds a control character. */
  static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }
}
