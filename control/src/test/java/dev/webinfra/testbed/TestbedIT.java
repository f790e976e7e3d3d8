package dev.webinfra.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Trees;
import dev.webinfra.lab.LabFixture;
import dev.webinfra.lab.LabRanges;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ssh;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code testbed up} of ha-cluster (moved to 198.19.130-131): a booted Debian machine per host,
 * root let in by the test bed's key and each host key checked, every address where the topology
 * puts it, no package's own service running, the machines unable to open a connection to this
 * machine, and as the last line the topology that reaches them over SSH. A power cut stops one
 * machine only; {@code testbed down} leaves no machine, bridge, link, mount, cgroup or file, and
 * the image stays cached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestbedIT {
  static LabFixture moved;
  static CliRun up;
  static Topology lab;
  static Testbed bed;
  static TestbedLayout layout;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.assumeLabCanRun();
    moved = LabRanges.fixture("ittb");
    lab = TopologyLoader.load(moved.topologyFile());
    layout = new TestbedLayout(lab.lab());
    bed = new Testbed(layout, new PrintWriter(new StringWriter()), Poll.system());
    if (Files.exists(layout.dir())) {
      bed.down(false); // left by an interrupted run
    }
    up = CliRun.of("testbed", "up", moved.topologyFile().toString());
  }

  @AfterAll
  static void down() throws Exception {
    if (moved == null) {
      return;
    }
    try {
      if (Files.exists(layout.dir())) {
        CliRun d = CliRun.of("testbed", "down", "--lab", lab.lab());
        assertThat(d.exitCode()).as(d.err()).isZero();
        assertThat(d.out()).contains("no machine, bridge, link, mount, cgroup or file is left");
      }
      assertThat(bed.leftovers()).as("what testbed down left").isEmpty();
      assertThat(TestbedImage.of(lab).ready()).as("the image stays cached").isTrue();
    } finally {
      Trees.delete(moved.topologyFile().getParent());
    }
  }

  static Topology servers() {
    List<String> lines = up.out().strip().lines().toList();
    return TopologyLoader.load(Path.of(lines.get(lines.size() - 1)));
  }

  static ExecResult on(Host h, String command) {
    return bed.ssh(bed.sshAddress(h), command, Duration.ofSeconds(30));
  }

  @Test
  @Order(1)
  void itsLastLineIsTheTopologyOfTheMachinesOverSsh() {
    assertThat(up.exitCode()).as("testbed up:%n%s%n%s", up.out(), up.err()).isZero();
    Topology t = servers();
    assertThat(t.onServers()).isTrue();
    assertThat(t.lab()).isEqualTo(lab.lab());
    assertThat(t.hosts())
        .extracting(Host::name)
        .containsExactlyElementsOf(lab.hosts().stream().map(Host::name).toList());
    for (Host h : t.hosts()) {
      Ssh ssh = h.ssh().orElseThrow();
      assertThat(ssh.address()).isEqualTo(h.attachments().get(0).address().toString());
      assertThat(ssh.user()).isEqualTo("root");
      assertThat(ssh.identity()).contains(layout.key());
      assertThat(ssh.knownHosts()).isEqualTo(layout.knownHosts());
      assertThat(h.attachments()).isEqualTo(lab.host(h.name()).orElseThrow().attachments());
    }
    CliRun check = CliRun.of("check", layout.topology().toString());
    assertThat(check.out()).as(check.err()).contains("web1").doesNotContain("SINGLE_MACHINE_LAB");
  }

  @Test
  @Order(2)
  void everyMachineBootsSystemdWithItsAddressesAndNoPackagesService() {
    for (Host h : lab.hosts()) {
      ExecResult r =
          on(
              h,
              "hostname; systemctl is-system-running; ip -4 -o addr show;"
                  + " systemctl is-active nginx haproxy keepalived mariadb dnsmasq prometheus"
                  + " prometheus-alertmanager prometheus-node-exporter garb || true");
      assertThat(r.exitCode()).as("%s: %s", h.name(), r.describe()).isZero();
      List<String> lines = r.stdout().lines().toList();
      assertThat(lines.get(0)).as("%s's host name", h.name()).isEqualTo(h.name());
      assertThat(lines.get(1)).as("%s's systemd", h.name()).isEqualTo("running");
      for (Attachment a : h.attachments()) {
        assertThat(r.stdout())
            .as("%s on %s", h.name(), a.network())
            .contains(" " + a.address() + "/");
      }
      assertThat(lines.subList(lines.size() - 9, lines.size()))
          .as("%s: the packages' own services", h.name())
          .allMatch(s -> !s.equals("active"));
    }
  }

  @Test
  @Order(3)
  void machinesReachEachOtherButOpenNothingOnThisMachine() {
    Host lb1 = lab.host("lb1").orElseThrow();
    String web1 = moved.ip("198.18.7.21");
    assertThat(on(lb1, "timeout 3 bash -c '</dev/tcp/" + web1 + "/22'").exitCode())
        .as("lb1 to web1's sshd, on private")
        .isZero();
    // Nothing listens on port 9 here: unguarded, the machine would refuse at once (exit 1);
    // guarded, the SYN is dropped and the attempt times out (124).
    String machine = Testbed.machineAddress(lab, lab.network("private").orElseThrow());
    assertThat(on(lb1, "timeout 2 bash -c '</dev/tcp/" + machine + "/9'").exitCode())
        .as("lb1 to this machine's address on private")
        .isEqualTo(124);
  }

  @Test
  @Order(4)
  void aMachineThatShowsAnotherHostKeyIsRefused() throws Exception {
    Host lb1 = lab.host("lb1").orElseThrow();
    Host web1 = lab.host("web1").orElseThrow();
    String web1Key =
        Files.readAllLines(layout.knownHosts()).stream()
            .filter(l -> l.startsWith(moved.ip("198.18.7.21") + " "))
            .findFirst()
            .orElseThrow()
            .split(" ", 2)[1];
    Path wrong = layout.dir().resolve("wrong_known_hosts");
    Files.writeString(wrong, bed.sshAddress(lb1) + " " + web1Key + "\n");
    ExecResult r =
        dev.webinfra.host.Shell.run(
            List.of(
                "ssh",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + wrong,
                "-i",
                layout.key().toString(),
                "root@" + bed.sshAddress(lb1),
                "true"),
            null,
            Duration.ofSeconds(20));
    assertThat(r.exitCode()).isEqualTo(255);
    assertThat(r.stderr()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED");
    assertThat(on(web1, "true").exitCode()).as("web1 with its own key").isZero();
  }

  @Test
  @Order(5)
  void aSecondUpAndAnotherOnTheSameNetworksAreRefused() throws Exception {
    CliRun again = CliRun.of("testbed", "up", moved.topologyFile().toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err().strip())
        .isEqualTo(
            "webinfra: testbed up: test bed ittb is up already ("
                + layout.dir()
                + "); take it down first: webinfra testbed down --lab ittb");
    Path other = moved.topologyFile().resolveSibling("other.yaml");
    Files.writeString(
        other, Files.readString(moved.topologyFile()).replace("lab: ittb", "lab: ittbb"));
    CliRun clash = CliRun.of("testbed", "up", other.toString());
    assertThat(clash.exitCode()).isEqualTo(2);
    assertThat(clash.err())
        .contains("testbed up: network public (198.19.130.0/24) is in use on this machine already");
    assertThat(new TestbedLayout("ittbb").dir()).doesNotExist();
    CliRun servers = CliRun.of("testbed", "up", layout.topology().toString());
    assertThat(servers.exitCode()).isEqualTo(2);
    assertThat(servers.err()).contains("already describes servers reached over SSH");
  }

  @Test
  @Order(6)
  void aPowerCutStopsThatMachineOnly() {
    Host web3 = lab.host("web3").orElseThrow();
    bed.powerCut("web3");
    assertThat(bed.alive("web3")).isFalse();
    assertThat(on(web3, "true").exitCode()).as("ssh to the cut machine").isEqualTo(255);
    assertThat(on(lab.host("web2").orElseThrow(), "systemctl is-system-running").stdout().strip())
        .isEqualTo("running");
  }
}
