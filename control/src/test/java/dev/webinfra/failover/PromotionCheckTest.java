package dev.webinfra.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which replica may be promoted, decided without a lab. */
class PromotionCheckTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  @Test
  void onlyAReplicaOfAPrimaryReplicaSetMayBePromoted() {
    Topology three = TopologyLoader.load(PRESETS.resolve("three-servers.yaml"));
    Topology ha = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    assertThat(PromotionCheck.candidate(three, "web2").name()).isEqualTo("web2");
    assertThatThrownBy(() -> PromotionCheck.candidate(three, "web1"))
        .hasMessage("db promote: host web1 is already the primary");
    assertThatThrownBy(() -> PromotionCheck.candidate(three, "lb1"))
        .hasMessageStartingWith("db promote: host lb1 is not a replica");
    assertThatThrownBy(() -> PromotionCheck.candidate(ha, "web3"))
        .hasMessageContaining("every Galera member is already writable");
  }

  @Test
  void withThePrimaryGoneOnlyTheReplicaThatReceivedMostQualifies() {
    Map<String, String> received = new LinkedHashMap<>();
    received.put("web2", "0-1-41");
    received.put("web3", "0-1-42,1-2-7");

    assertThat(PromotionCheck.aheadOf("web2", received)).contains("web3");
    assertThat(PromotionCheck.aheadOf("web3", received)).isEmpty();
    assertThat(PromotionCheck.mostAdvanced(received)).contains("web3");
    assertThat(PromotionCheck.seq("1-2-7,0-1-42")).isEqualTo(42);
  }
}
