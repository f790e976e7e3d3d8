package dev.webinfra.host.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.Flow;
import dev.webinfra.plan.MachineFlows;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine's own table for a lab: lab hosts reach the machine only by the declared flows. */
class MachineFirewallTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Topology HA = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));
  static final LabLayout LAYOUT = LabLayout.of("ha");

  @Test
  void everyPacketFromTheLabsLinksToTheMachineIsDroppedButReplies() {
    String rules = MachineFirewall.render(HA, LAYOUT, MachineFlows.required(HA));

    assertThat(MachineFlows.required(HA))
        .as("the design needs one flow to the machine: mon's Alertmanager to the controller")
        .containsExactly(
            Flow.tcp(
                "mon",
                Flow.MACHINE,
                9095,
                "Alertmanager's notifications to the controller",
                Flow.Kind.MONITORING));
    assertThat(rules)
        .as("replaced in one transaction, never missing")
        .startsWith("# The machine is not part of the site")
        .contains(
            "table inet webinfra-ha\ndelete table inet webinfra-ha\ntable inet webinfra-ha {\n")
        .contains("type filter hook input priority filter; policy accept;")
        .as("by the lab's link names, so it holds before the bridges exist")
        .contains("iifname \"wbha.*\" jump from_lab", "iifname \"wvha.*\" jump from_lab")
        .contains(
            "ct state established,related accept\n",
            "    # mon -> machine:9095/tcp (Alertmanager's notifications to the controller)\n",
            "    counter drop\n");
    assertThat(rules).as("nothing but the lab's links is filtered").doesNotContain("hook forward");
  }

  @Test
  void aDeclaredFlowIsOpenOnlyFromItsHostToTheMachinesAddressOnTheirNetwork() {
    List<Flow> flows =
        List.of(
            Flow.tcp("lb1", Flow.MACHINE, 9095, "a webhook", Flow.Kind.MONITORING),
            Flow.tcp("mon", Flow.MACHINE, 9095, "a webhook", Flow.Kind.MONITORING),
            // client shares only public with the machine, and no flow is declared from it.
            Flow.tcp("web1", Flow.MACHINE, 9096, "another", Flow.Kind.MONITORING));

    String rules = MachineFirewall.render(HA, LAYOUT, flows);

    assertThat(rules)
        .contains(
            "    # lb1 -> machine:9095/tcp (a webhook)\n"
                + "    iifname \"wbha.0\" ip saddr 198.18.6.11 ip daddr 198.18.6.254 tcp dport 9095"
                + " accept\n")
        .contains(
            "ip saddr 198.18.7.30 ip daddr 198.18.7.254 tcp dport 9095 accept\n",
            "ip saddr 198.18.7.21 ip daddr 198.18.7.254 tcp dport 9096 accept\n")
        .doesNotContain("198.18.6.10");
    assertThat(rules.indexOf("tcp dport 9095")).isLessThan(rules.indexOf("counter drop"));
  }

  @Test
  void aMonitoringHostsWebhookIsOneLine() {
    assertThat(MachineFlows.monitors(HA, 9095, "Alertmanager webhook"))
        .containsExactly(
            Flow.tcp("mon", Flow.MACHINE, 9095, "Alertmanager webhook", Flow.Kind.MONITORING));
  }
}
