package dev.webinfra.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScaleTest {
  static final Path PRESETS = Path.of("..", "topologies");

  @Test
  void addedServersCopyTheLastActiveWebServerAndJoinAsReplicasAfterEveryHost() {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    Topology s = Scale.apply(t, 5);

    assertThat(Scale.webCount(s)).isEqualTo(5);
    assertThat(s.hosts().subList(0, t.hosts().size())).isEqualTo(t.hosts());
    Host web4 = s.host("web4").orElseThrow();
    Host web5 = s.host("web5").orElseThrow();
    assertThat(s.hosts().indexOf(web4)).as("appended").isEqualTo(t.hosts().size());
    assertThat(web4.roles()).containsExactly(Role.WEB, Role.APP, Role.DB);
    assertThat(web4.settings().web().backup()).as("copy of web2, not the backup web3").isFalse();
    assertThat(web4.primaryAddress().toString()).isEqualTo("198.18.7.24");
    assertThat(web5.primaryAddress().toString()).isEqualTo("198.18.7.25");
    assertThat(s.database().replicas()).containsExactly("web3", "web4", "web5");
    assertThat(s.database().members()).isEqualTo(t.database().members());
    assertThat(Scale.added(t, s)).containsExactly(web4, web5);
  }

  @Test
  void theTopologyFilesServersAreNeverScaledAway() {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    assertThat(Scale.apply(t, 3)).isEqualTo(t);
    assertThatThrownBy(() -> Scale.apply(t, 2))
        .isInstanceOf(WebinfraException.class)
        .hasMessageStartingWith("scale web=2: lab ha's topology file has 3 web servers")
        .hasMessageContaining("allowed: web=3 or more");
  }

  @Test
  void inAPrimaryReplicaSetANewServerIsAReplicaOfThePrimary() {
    Topology t = TopologyLoader.load(PRESETS.resolve("three-servers.yaml"));

    Topology s = Scale.apply(t, 4);

    assertThat(s.database().primary()).isEqualTo(t.database().primary());
    assertThat(s.database().replicas()).endsWith("web4");
  }
}
