package dev.webinfra.topology;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives the machine an address on every network that holds a monitoring host, where the file sets
 * none: Alertmanager on that host notifies the controller, which runs on the machine, so the
 * machine must be reachable there. As on {@code public}, the default is the network's last usable
 * address.
 */
final class MachineOnMonitorNetworks {
  private MachineOnMonitorNetworks() {}

  static void apply(YamlNode root, Map<String, Network> networks, List<Host> hosts) {
    for (Host m : hosts) {
      if (!m.has(Role.MONITOR)) {
        continue;
      }
      for (Attachment a : m.attachments()) {
        Network net = networks.get(a.network());
        if (net == null || net.machineAddress().isPresent()) {
          continue;
        }
        Ipv4 wanted = net.cidr().lastUsable();
        Optional<Host> holder =
            hosts.stream()
                .filter(h -> h.attachments().stream().anyMatch(x -> x.address().equals(wanted)))
                .findFirst();
        if (holder.isPresent()) {
          root.problem(
              "networks." + net.name() + ".machine_address",
              "monitoring host "
                  + m.name()
                  + " notifies the machine on network "
                  + net.name()
                  + ", whose default address there, "
                  + wanted
                  + ", is host "
                  + holder.get().name()
                  + "'s; set machine_address to a free address of "
                  + net.cidr());
          continue;
        }
        networks.put(net.name(), new Network(net.name(), net.cidr(), Optional.of(wanted)));
      }
    }
  }
}
