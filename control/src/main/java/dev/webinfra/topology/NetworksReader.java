package dev.webinfra.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code networks}: each a name, a lab range that overlaps no other, and the machine's own
 * address on it.
 */
final class NetworksReader {
  private NetworksReader() {}

  /**
   * The networks by name, in file order. A lab's lie inside {@link Ipv4#LAB_RANGE}; servers' are
   * wherever the user's networks are ({@code servers}).
   */
  static Map<String, Network> read(YamlNode root, Map<String, YamlNode> top, boolean servers) {
    Map<String, Network> out = new LinkedHashMap<>();
    Optional<YamlNode> node = Fields.required(root, top, "networks");
    if (node.isEmpty()) {
      return out;
    }
    Map<String, YamlNode> entries = node.get().mapping().orElse(Map.of());
    if (entries.isEmpty() && !node.get().isNull()) {
      node.get().problem("at least one network is needed");
    }
    if (entries.size() > TopologyLoader.MAX_NETWORKS) {
      node.get()
          .problem(
              "at most "
                  + TopologyLoader.MAX_NETWORKS
                  + " networks are allowed, found "
                  + entries.size());
    }
    entries.forEach(
        (name, body) -> {
          if (!TopologyLoader.NETWORK_NAME.matcher(name).matches()) {
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
              Fields.required(body, m, "cidr")
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
                                    } else if (parsed.get().prefix() > 29
                                        || !servers && !Ipv4.LAB_RANGE.contains(parsed.get())) {
                                      c.problem(
                                          "'"
                                              + Shown.value(s)
                                              + (servers
                                                  ? "' is too small: a network must be /29 or"
                                                      + " larger"
                                                  : "' is out of range: lab networks must lie"
                                                      + " inside "
                                                      + Ipv4.LAB_RANGE
                                                      + " and be /29 or larger"));
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
                  ? Fields.address(m.get("machine_address"), cidr.get())
                  : name.equals("public") ? Optional.of(cidr.get().lastUsable()) : Optional.empty();
          out.put(name, new Network(name, cidr.get(), machine));
        });
    return out;
  }
}
