package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers reached over SSH: the top-level {@code ssh} block (what servers share) and each host's
 * (its address), with paths relative to the topology file; a file that mixes lab hosts and servers,
 * or misses a server's address, refused at its place; {@code check} and {@code diagram} read such a
 * file as they read a lab's.
 */
class SshTopologyTest {
  @TempDir Path dir;

  static final String BASE =
      """
      lab: srv
      domain: foobar.com
      networks:
        public: { cidr: 203.0.113.0/24 }
        private: { cidr: 10.0.0.0/24 }
      %s
      hosts:
        lb1:
          roles: [lb]
          networks: { public: 203.0.113.11, private: 10.0.0.11 }
      %s
        web1:
          roles: [web, app, db]
          networks: { private: 10.0.0.21 }
      %s
        web2:
          roles: [web, app, db]
          networks: { private: 10.0.0.22 }
      %s
      database: { topology: primary-replica, primary: web1, replicas: [web2] }
      """;

  static final String SHARED =
      """
      ssh:
        user: admin
        identity: keys/id_ed25519
        known_hosts: keys/known_hosts
      """;

  @BeforeEach
  void keys() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Files.writeString(dir.resolve("keys/id_ed25519"), "not read at load\n");
  }

  Path write(String top, String lb1, String web1, String web2) throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, BASE.formatted(top, lb1.indent(4), web1.indent(4), web2.indent(4)));
    return file;
  }

  Topology load(String top, String lb1, String web1, String web2) throws Exception {
    return TopologyLoader.load(write(top, lb1, web1, web2));
  }

  String error(String top, String lb1, String web1, String web2) {
    return assertThatThrownBy(() -> load(top, lb1, web1, web2))
        .isInstanceOf(WebinfraException.class)
        .actual()
        .getMessage();
  }

  @Test
  void eachServerHasItsAddressAndWhatServersShare() throws Exception {
    Topology t =
        load(
            SHARED,
            "ssh: { address: 203.0.113.11 }",
            "ssh: { address: web1.example.net, port: 2222 }",
            "ssh: { address: 10.0.0.22, user: root, identity: keys/id_ed25519 }");
    assertThat(t.onServers()).isTrue();
    Ssh lb1 = t.host("lb1").orElseThrow().ssh().orElseThrow();
    assertThat(lb1.address()).isEqualTo("203.0.113.11");
    assertThat(lb1.user()).isEqualTo("admin");
    assertThat(lb1.port()).isEqualTo(22);
    assertThat(lb1.identity()).contains(dir.resolve("keys/id_ed25519"));
    assertThat(lb1.knownHosts()).isEqualTo(dir.resolve("keys/known_hosts"));
    assertThat(lb1.target()).isEqualTo("admin@203.0.113.11");
    Ssh web1 = t.host("web1").orElseThrow().ssh().orElseThrow();
    assertThat(web1.target()).isEqualTo("admin@web1.example.net:2222");
    assertThat(t.host("web2").orElseThrow().ssh().orElseThrow().user()).isEqualTo("root");
  }

  @Test
  void withoutASharedBlockRootLogsInOnPort22WithTheAgentsKeys() throws Exception {
    Topology t =
        load(
            "",
            "ssh: { address: 203.0.113.11 }",
            "ssh: { address: 10.0.0.21 }",
            "ssh: { address: 10.0.0.22 }");
    Ssh web2 = t.host("web2").orElseThrow().ssh().orElseThrow();
    assertThat(web2.user()).isEqualTo("root");
    assertThat(web2.port()).isEqualTo(22);
    assertThat(web2.identity()).isEqualTo(Optional.empty());
    assertThat(web2.knownHosts())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
  }

  @Test
  void aLabTopologyHasNoServers() {
    Topology t = TopologyLoader.load(Path.of("..", "topologies", "ha-cluster.yaml"));
    assertThat(t.onServers()).isFalse();
    assertThat(t.hosts()).allMatch(h -> h.ssh().isEmpty());
  }

  @Test
  void labHostsAndServersAreNotMixed() {
    String e = error(SHARED, "ssh: { address: 203.0.113.11 }", "", "ssh: { address: 10.0.0.22 }");
    assertThat(e)
        .startsWith("topology " + dir.resolve("site.yaml") + ":18:5: hosts.web1: ")
        .contains(
            "host web1 has no ssh block, but host lb1 has one: a topology is all lab hosts or"
                + " all servers reached over SSH; give web1 an ssh block with its address");
  }

  @Test
  void eachMistakeIsRefusedAtItsPlace() {
    assertThat(error("", "ssh: { user: admin }", "", ""))
        .contains("site.yaml:11:10: hosts.lb1.ssh.address: missing required field 'address'");
    assertThat(error("", "ssh: { address: 'not an address!' }", "", ""))
        .contains(
            "site.yaml:11:21: hosts.lb1.ssh.address: 'not an address!' is neither an IPv4 address"
                + " nor a host name");
    assertThat(error("", "ssh: { address: 203.0.113.11, user: Admin }", "", ""))
        .contains("'Admin' is not allowed: a login name");
    assertThat(error("", "ssh: { address: 203.0.113.11, port: 70000 }", "", ""))
        .contains("must be between 1 and 65535, was 70000");
    assertThat(error("", "ssh: { address: 203.0.113.11, identity: keys/missing }", "", ""))
        .contains("no identity file at " + dir.resolve("keys/missing") + " (relative paths");
    assertThat(error("ssh: { user: admin, password: x }", "ssh: { address: 1.2.3.4 }", "", ""))
        .contains("password");
  }

  @Test
  void aHostAttachedToANetworkNeedsItsAddressThere() throws Exception {
    Path file = write("", "ssh: { address: 203.0.113.11 }", "", "");
    Files.writeString(
        file,
        Files.readString(file)
            .replace("networks: { private: 10.0.0.21 }", "networks: { private: }"));
    assertThatThrownBy(() -> TopologyLoader.load(file))
        .hasMessageContaining(
            "host web1 has no address on network 'private': a host needs its own address on each"
                + " network it is attached to");
  }

  @Test
  void checkAndDiagramReadIt() throws Exception {
    Path file =
        write(
            SHARED,
            "ssh: { address: 203.0.113.11 }",
            "ssh: { address: 10.0.0.21 }",
            "ssh: { address: 10.0.0.22 }");
    CliRun check = CliRun.of("check", file.toString());
    assertThat(check.out()).as(check.err()).contains("lb1", "web1");
    assertThat(check.err()).doesNotContain("SSH");
    assertThat(check.out()).as("each host is a server").doesNotContain("SINGLE_MACHINE_LAB");
    Path svg = dir.resolve("site.svg");
    CliRun diagram = CliRun.of("diagram", file.toString(), "--output", svg.toString());
    assertThat(diagram.exitCode()).as(diagram.err()).isZero();
    assertThat(Files.readString(svg)).contains("<svg", "web1");
  }
}
