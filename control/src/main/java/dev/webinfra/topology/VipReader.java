package dev.webinfra.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code vip}: the floating IP, on a known network, nobody's own address. */
final class VipReader {
  private VipReader() {}

  /** The floating IP, or empty when it is unusable (and said so). */
  static Optional<Vip> read(YamlNode node, Map<String, Network> networks, List<Host> hosts) {
    Map<String, YamlNode> m =
        node.mapping(Set.of("address", "network", "router_id")).orElse(Map.of());
    Optional<String> net = Fields.required(node, m, "network").flatMap(YamlNode::string);
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
    int routerId = m.containsKey("router_id") ? m.get("router_id").integer(1, 255).orElse(51) : 51;
    return Fields.required(node, m, "address")
        .flatMap(
            a ->
                Fields.address(a, network.cidr())
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
                            if (h.attachments().stream().anyMatch(at -> at.address().equals(ip))) {
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
}
