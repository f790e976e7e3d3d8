package dev.webinfra.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The design check reports a topology that chose availability over durability, and only it. */
class DurabilityFindingTest {
  static final String ID = "DURABILITY_TRADED_FOR_AVAILABILITY";

  @Test
  void anAsyncFallbackIsReported() {
    List<Finding> f =
        Analyzer.analyze(
            TopologyLoader.load(
                Path.of("src/test/resources/topologies/durability/async-fallback.yaml")));

    assertThat(f)
        .as("semi_sync_fallback: async trades acknowledged writes away")
        .anySatisfy(
            x -> {
              assertThat(x.id()).isEqualTo(ID);
              assertThat(x.hosts()).containsExactly("web1");
            });
  }

  @Test
  void thePresetsWaitForAReplicaAndAreNotReported() {
    for (String preset : List.of("three-servers", "secured-monitored")) {
      assertThat(
              Analyzer.analyze(TopologyLoader.load(Path.of("..", "topologies", preset + ".yaml"))))
          .as("findings of %s", preset)
          .noneMatch(x -> x.id().equals(ID));
    }
  }
}
