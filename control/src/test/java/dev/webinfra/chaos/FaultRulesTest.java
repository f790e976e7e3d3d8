package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules faults write into hosts, and the ledger that undoes them, without a lab. */
class FaultRulesTest {
  static Topology ha() {
    return ScenarioLoaderTest.preset("ha-cluster").orElseThrow();
  }

  @Test
  void aPartitionSideOfHostsStandsForTheirAddressesAndANetworkForItsRange() {
    Topology t = ha();
    assertThat(PartitionFault.addresses(t, List.of("lb2")))
        .containsExactly("198.18.6.12", "198.18.7.12");
    assertThat(PartitionFault.addresses(t, List.of("private"))).containsExactly("198.18.7.0/24");
    assertThat(PartitionFault.hosts(t, List.of("public")))
        .containsExactly("client", "dns", "lb1", "lb2", "dns2");
  }

  @Test
  void thePartitionTableDropsBothWaysBeforeTheHostsFirewall() {
    String r = PartitionFault.ruleset("inet webinfra_chaos_1", Set.of("198.18.7.12"));
    assertThat(r)
        .isEqualTo(
            "table inet webinfra_chaos_1 {\n"
                + "  chain input { type filter hook input priority -5; policy accept; ip saddr {"
                + " 198.18.7.12 } drop; }\n"
                + "  chain output { type filter hook output priority -5; policy accept; ip daddr {"
                + " 198.18.7.12 } drop; }\n"
                + "}\n");
  }

  @Test
  void theLatencyDnatLeavesTheProxysOwnConnectionsAlone() {
    assertThat(LatencyFault.dnat("ip webinfra_chaos_2", "198.18.7.22", 3306, "198.18.7.23", 17002))
        .contains(
            "type nat hook output priority -100",
            "ip daddr 198.18.7.22 tcp dport 3306 meta skuid != 65534 dnat to 198.18.7.23:17002");
  }

  @Test
  void theLedgerUndoesInReverseAndKeepsAFaultWhoseUndoFailed(@TempDir Path dir) throws Exception {
    Ledger l = new Ledger(dir.resolve("chaos"));
    l.add("00-latency", new Undo("sskill", "web3", "198.18.7.22:3306"));
    l.add("00-latency", new Undo("nft", "web3", "ip webinfra_chaos_0"));
    l.add("00-latency", new Undo("proxy", "web3", "1234"));
    l.add("01-power-cut", new Undo("stopped", "web1", ""));
    assertThat(l.active()).containsExactly("00-latency", "01-power-cut");

    List<String> order = new ArrayList<>();
    assertThat(l.undo("00-latency", u -> order.add(u.what()))).isEmpty();
    assertThat(order).containsExactly("proxy", "nft", "sskill");
    assertThat(l.active()).containsExactly("01-power-cut");

    List<String> failed =
        l.undo(
            "01-power-cut",
            u -> {
              throw new IllegalStateException("host web1: cannot start");
            });
    assertThat(failed).containsExactly("stopped on web1: host web1: cannot start");
    assertThat(l.active()).as("kept, for a later run to undo").containsExactly("01-power-cut");
  }
}
