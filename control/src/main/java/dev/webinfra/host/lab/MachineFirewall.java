package dev.webinfra.host.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Flow;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.FirewallRule;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The machine is not part of the site: an nftables table of the lab's own in the machine's network
 * namespace, {@code inet webinfra-<lab>}, drops every packet a lab host sends to the machine's own
 * addresses (on the lab's bridges, or any other the machine has), except the replies to what the
 * machine started and the flows the design declares ({@code plan.MachineFlows}). It filters input
 * only: traffic between lab hosts, bridged, never passes it.
 *
 * <p>The table is named after the lab and matches the lab's links by their name patterns, so it
 * works before the bridges exist and {@code down} finds it from the lab's name alone.
 */
public final class MachineFirewall {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final LabLayout layout;
  private final Consumer<String> progress;

  public MachineFirewall(LabLayout layout, Consumer<String> progress) {
    this.layout = layout;
    this.progress = progress;
  }

  /** The table's name: {@code webinfra-<lab>}. */
  public static String table(String lab) {
    return "webinfra-" + lab;
  }

  /**
   * The ruleset that replaces the lab's table at once ({@code nft -f} applies a file as one
   * transaction: the table is never missing, nor half made). Pure.
   */
  public static String render(Topology t, LabLayout layout, List<Flow> toMachine) {
    String table = table(t.lab());
    StringBuilder sb = new StringBuilder();
    sb.append("# The machine is not part of the site: lab ")
        .append(t.lab())
        .append("'s hosts reach it only by the flows below.\n");
    // Declared first, so the delete never fails on a first run.
    sb.append("table inet ").append(table).append("\n");
    sb.append("delete table inet ").append(table).append("\n");
    sb.append("table inet ").append(table).append(" {\n");
    sb.append("  chain input {\n");
    sb.append("    type filter hook input priority filter; policy accept;\n");
    sb.append("    iifname \"wb").append(t.lab()).append(".*\" jump from_lab\n");
    sb.append("    iifname \"wv").append(t.lab()).append(".*\" jump from_lab\n");
    sb.append("  }\n");
    sb.append("  chain from_lab {\n");
    sb.append("    ct state established,related accept\n");
    List<Network> networks = t.networks();
    for (Flow f : toMachine) {
      Host from = t.host(f.from()).orElse(null);
      if (from == null || !f.to().equals(Flow.MACHINE)) {
        continue;
      }
      for (Attachment a : from.attachments()) {
        Network n = t.network(a.network()).orElseThrow();
        if (n.machineAddress().isEmpty()) {
          // The machine has no address there: the flow cannot reach it on this network.
          continue;
        }
        sb.append("    # ").append(f.describe()).append("\n");
        sb.append("    iifname \"")
            .append(layout.bridge(networks.indexOf(n)))
            .append("\" ip saddr ")
            .append(a.address())
            .append(" ip daddr ")
            .append(n.machineAddress().get());
        if (f.proto() == FirewallRule.Proto.VRRP) {
          sb.append(" ip protocol vrrp accept\n");
        } else {
          sb.append(" ")
              .append(f.proto().name().toLowerCase(Locale.ROOT))
              .append(" dport ")
              .append(f.port())
              .append(" accept\n");
        }
      }
    }
    sb.append("    counter drop\n");
    sb.append("  }\n");
    sb.append("}\n");
    return sb.toString();
  }

  /** Loads the lab's table, replacing what was there. */
  public void apply(Topology t, List<Flow> toMachine) {
    Path file = layout.labDir().resolve("machine.nft");
    try {
      Files.createDirectories(layout.labDir());
      Files.writeString(file, render(t, layout, toMachine));
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + t.lab() + ": cannot write " + file + ": " + e.getMessage(), e);
    }
    progress.accept("machine: table inet " + table(t.lab()) + " (lab hosts -> machine dropped)");
    ExecResult r = Shell.run(List.of("nft", "-f", file.toString()), null, TIMEOUT);
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "lab " + t.lab() + ": machine firewall: nft -f failed: " + r.describe());
    }
  }

  /** Whether the lab's table is loaded. */
  public boolean present() {
    return Shell.run(List.of("nft", "list", "tables", "inet"), null, TIMEOUT)
        .stdout()
        .lines()
        .anyMatch(l -> l.strip().equals("table inet " + table(layout.lab())));
  }

  /** Removes the lab's table, if it is there. */
  public void remove() {
    if (present()) {
      progress.accept("removing nftables table inet " + table(layout.lab()));
      Shell.run(List.of("nft", "delete", "table", "inet", table(layout.lab())), null, TIMEOUT);
    }
  }
}
