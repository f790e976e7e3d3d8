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
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void sparesComeFirstInFileOrderThenALabMakesCopies(@TempDir Path dir) throws Exception {
    Topology t = TopologyLoader.load(withSpares(dir, false));

    Topology one = Scale.apply(t, 4);
    assertThat(Scale.added(t, one)).extracting(Host::name).containsExactly("web4");
    assertThat(one.host("web4").orElseThrow().primaryAddress().toString())
        .as("the spare's own address")
        .isEqualTo("198.18.7.40");
    assertThat(one.database().replicas()).containsExactly("web3", "web4");
    assertThat(one.spares()).extracting(Host::name).containsExactly("web6");

    Topology four = Scale.apply(t, 6);
    assertThat(Scale.added(t, four))
        .extracting(Host::name)
        .as("both spares, then a copy named past them")
        .containsExactly("web4", "web6", "web5");
    assertThat(four.spares()).isEmpty();
    assertThat(four.host("web5").orElseThrow().primaryAddress().toString())
        .as("a copy takes the next address no host or spare holds")
        .isEqualTo("198.18.7.24");
  }

  @Test
  void aSiteOfServersScalesOnlyOntoItsSpares(@TempDir Path dir) throws Exception {
    Topology t = TopologyLoader.load(withSpares(dir, true));

    assertThat(Scale.added(t, Scale.apply(t, 5)))
        .extracting(Host::name)
        .containsExactly("web4", "web6");
    assertThatThrownBy(() -> Scale.apply(t, 6))
        .isInstanceOf(WebinfraException.class)
        .hasMessage(
            "scale web=6: site ha has 3 web servers and 2 spares (web4, web6); a site of servers"
                + " scales onto the servers its topology lists: add each with its ssh: block and"
                + " spare: true (allowed: web=3 to web=5)");
  }

  /**
   * ha-cluster with two spares, web4 and web6, each a copy of web2 at an address of its own; as
   * servers, each host reached at its own address.
   */
  static Path withSpares(Path dir, boolean servers) throws Exception {
    String text = java.nio.file.Files.readString(PRESETS.resolve("ha-cluster.yaml"));
    int at = text.indexOf("\n  web3:");
    String spare =
        "\n"
            + "  web4:\n"
            + "    roles: [web, app, db]\n"
            + "    spare: true\n"
            + "    networks: { private: 198.18.7.40 }\n"
            + "  web6:\n"
            + "    roles: [web, app, db]\n"
            + "    spare: true\n"
            + "    networks: { private: 198.18.7.41 }";
    text = text.substring(0, at) + spare + text.substring(at);
    if (servers) {
      // Every host of the file gets an ssh block at its first address.
      text =
          text.replaceAll(
              "(?m)^(    networks: \\{ [a-z]+: (198\\.18\\.[0-9.]+).*)$",
              "$1\n    ssh: { address: $2 }");
      text = "ssh: { user: root }\n" + text;
    }
    Path file = dir.resolve("spares.yaml");
    java.nio.file.Files.writeString(file, text);
    return file;
  }
}
