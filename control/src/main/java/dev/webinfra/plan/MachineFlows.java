package dev.webinfra.plan;

import dev.webinfra.daemon.DaemonUnit;
import dev.webinfra.daemon.Flow;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The flows from the lab's hosts to the machine itself that the design needs. The machine is not
 * part of the site: it drops every other connection a lab host opens to it ({@code
 * host.lab.MachineFirewall}), and answers only what it started itself.
 *
 * <p>Two kinds of contributor declare them, each a {@link Flow} whose {@code to} is {@link
 * Flow#MACHINE}: a daemon unit, through {@link DaemonUnit#toMachine}; and the controller, which
 * runs on the machine and is no unit, in {@link #CONTROLLER}. A flow to the controller is one line
 * there; Alertmanager's notifications to its receiver come from the Alertmanager unit's {@code
 * toMachine}.
 */
public final class MachineFlows {
  private MachineFlows() {}

  /** The flows the controller takes from the lab: none yet (its dashboard is on loopback). */
  static final List<Function<Topology, List<Flow>>> CONTROLLER = List.of();

  /** Every flow the design needs from a lab host to the machine. */
  public static List<Flow> required(Topology t) {
    return required(t, CONTROLLER);
  }

  static List<Flow> required(Topology t, List<Function<Topology, List<Flow>>> controller) {
    Set<Flow> out = new LinkedHashSet<>();
    for (Host h : t.hosts()) {
      for (DaemonUnit u : Units.ALL) {
        if (u.runsOn(t, h)) {
          out.addAll(u.toMachine(t, h));
        }
      }
    }
    controller.forEach(c -> out.addAll(c.apply(t)));
    return List.copyOf(out);
  }

  /** A TCP flow to the machine from every monitoring host: the shape a webhook needs. */
  public static List<Flow> monitors(Topology t, int port, String purpose) {
    return t.hostsWith(dev.webinfra.topology.Role.MONITOR).stream()
        .map(m -> Flow.tcp(m.name(), Flow.MACHINE, port, purpose, Flow.Kind.MONITORING))
        .toList();
  }
}
