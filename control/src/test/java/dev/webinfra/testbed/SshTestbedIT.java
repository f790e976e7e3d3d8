package dev.webinfra.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.cli.CliRun;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.Trees;
import dev.webinfra.host.ssh.SshHostDriver;
import dev.webinfra.host.ssh.SshTransport;
import dev.webinfra.host.ssh.SystemdSupervisor;
import dev.webinfra.lab.LabFixture;
import dev.webinfra.lab.LabRanges;
import dev.webinfra.lab.SecondStream;
import dev.webinfra.render.mariadb.MariadbUnit;
import dev.webinfra.render.nodeexporter.NodeExporterUnit;
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
import java.util.Map;
import java.util.Optional;
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
@SecondStream
class SshTestbedIT {
  static final Duration TEN = Duration.ofSeconds(10);
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
        // The primary-replica site of the last tests is still recorded: its machines take it.
        boolean siteLeft = Files.exists(Path.of("/var/lib/webinfra/sites", lab.lab()));
        CliRun d = CliRun.of("testbed", "down", "--lab", lab.lab());
        assertThat(d.exitCode()).as(d.err()).isZero();
        assertThat(d.out()).contains("no machine, bridge, link, mount, cgroup or file is left");
        if (siteLeft) {
          assertThat(d.out())
              .contains("site ittb: forgotten here too: it ran on the test bed's machines");
          assertThat(Path.of("/var/lib/webinfra/sites", lab.lab())).doesNotExist();
        }
      }
      assertThat(bed.leftovers()).as("what testbed down left").isEmpty();
      assertThat(TestbedImage.of(lab).ready()).as("the image stays cached").isTrue();
    } finally {
      Trees.delete(moved.topologyFile().getParent());
      // What a failed test left of the site on this machine; the machines went with the test bed.
      Trees.delete(Path.of("/var/lib/webinfra/sites", lab.lab()));
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
  void upDryRunReadsTheServersAndWritesNothing() throws Exception {
    CliRun dry = CliRun.of("up", "--dry-run", layout.topology().toString());
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .startsWith("plan for lab ittb: 43 changes, 11 unchanged\n")
        .contains(
            "  firewall on web1: create (ruleset not loaded)\n",
            "  mariadb on web1: create (new)\n",
            "  keepalived on lb2: create (new)\n",
            "  prometheus on mon: create (new)\n");
    for (Host h : lab.hosts()) {
      assertThat(
              on(
                      h,
                      "test -e /etc/webinfra || test -e /var/lib/webinfra || ls /etc/systemd/system"
                          + " | grep -q webinfra")
                  .exitCode())
          .as("anything of webinfra's on %s", h.name())
          .isEqualTo(1);
    }
    assertThat(Path.of("/var/lib/webinfra/sites", lab.lab())).doesNotExist();
    // A server whose address is not on any of its interfaces is told as such.
    Path moved3 = layout.dir().resolve("web3-moved.yaml");
    String web3 = moved.ip("198.18.7.23");
    String other = moved.ip("198.18.7.99");
    Files.writeString(
        moved3,
        Files.readString(layout.topology())
            .replace("private: \"" + web3 + "\"", "private: \"" + other + "\""));
    CliRun wrong = CliRun.of("up", "--dry-run", moved3.toString());
    assertThat(wrong.out())
        .as(wrong.err())
        .contains(
            "web3: create (missing "
                + other
                + " on interface "
                + layout.veth(lab.hosts().indexOf(lab.host("web3").orElseThrow()), 1, false)
                + " (network private)");
  }

  @Test
  @Order(7)
  void theSshDriverRunsCommandsAndWritesFilesOnAServer() throws Exception {
    Topology t = servers();
    String web1 = moved.ip("198.18.7.21");
    try (SshTransport ssh = new SshTransport(false)) {
      SshHostDriver d = new SshHostDriver(t, ssh);
      assertThat(d.paths("web1")).isEqualTo(HostPaths.server());
      assertThat(d.isUp("web1")).isTrue();
      assertThat(d.addresses("web1")).contains(web1);
      Path dir = Path.of("/var/lib/webinfra/ittb");
      Path f = dir.resolve("hello.txt");
      d.writeFile("web1", f, "hello, it's me\n", "rw-r-----", "prometheus");
      assertThat(d.readFile("web1", f)).contains("hello, it's me\n");
      assertThat(d.exec("web1", List.of("stat", "-c", "%a %U", f.toString()), null, TEN).stdout())
          .isEqualTo("640 prometheus\n");
      d.link("web1", dir.resolve("current"), "hello.txt");
      assertThat(d.readLink("web1", dir.resolve("current"))).contains("hello.txt");
      Path local = Files.createTempFile(moved.topologyFile().getParent(), "blob", ".bin");
      Files.write(local, new byte[] {0, 1, 2, (byte) 0xff, 10, 0});
      assertThat(d.copyFile("web1", local, dir.resolve("blob.bin"), "rw-r--r--", null)).isTrue();
      assertThat(d.copyFile("web1", local, dir.resolve("blob.bin"), "rw-r--r--", null))
          .as("the same content again")
          .isFalse();
      assertThat(
              d.exec("web1", List.of("printf", "%s|", "a b", "it's", "$HOME"), null, TEN).stdout())
          .as("each word reaches the server as it is")
          .isEqualTo("a b|it's|$HOME|");
      assertThatThrownBy(() -> d.cutPower("web1", List.of(), () -> {}))
          .hasMessage(
              "host web1 is a server: webinfra cannot cut its power; a machine of a test bed can"
                  + " (webinfra testbed)");
    }
  }

  @Test
  @Order(8)
  void aDaemonsSpecRunsAsASystemdUnitOnAServer() {
    Topology t = servers();
    Host web1 = t.host("web1").orElseThrow();
    DaemonSpec spec = new NodeExporterUnit().spec(t, web1, HostPaths.server());
    Fingerprint fp = Fingerprint.of(spec, Map.of());
    try (SshTransport ssh = new SshTransport(false)) {
      SshHostDriver d = new SshHostDriver(t, ssh);
      SystemdSupervisor sup = new SystemdSupervisor(d, Poll.system(), line -> {});
      sup.start(spec, fp, Duration.ofSeconds(60));
      assertThat(sup.isRunning(spec)).isTrue();
      assertThat(sup.probe(spec).ok()).isTrue();
      String first = sup.instance(spec).orElseThrow();
      assertThat(first).startsWith("webinfra-node-exporter.service, pid ");
      assertThat(sup.recorded(spec)).contains(fp);
      assertThat(
              d.exec(
                      "web1",
                      List.of(
                          "systemctl",
                          "show",
                          "--property=User,NoNewPrivileges,ProtectSystem,"
                              + "ProtectHome,PrivateTmp,Restart,UnitFileState",
                          "webinfra-node-exporter.service"),
                      null,
                      TEN)
                  .stdout())
          .contains(
              "User=prometheus",
              "NoNewPrivileges=yes",
              "ProtectSystem=strict",
              "ProtectHome=yes",
              "PrivateTmp=yes",
              "Restart=always",
              "UnitFileState=enabled");
      assertThat(
              d.exec(
                      "web1",
                      List.of("ps", "-o", "user=", "-C", "prometheus-node-exporter"),
                      null,
                      TEN)
                  .stdout()
                  .strip())
          .as("who it runs as")
          .isEqualTo("prometheus");
      // Killed, systemd starts it again.
      sup.signal(spec, "KILL", false);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sup.isRunning(spec) && !sup.instance(spec).orElse(first).equals(first));
      assertThat(sup.logTail(spec)).as("its journal").isNotBlank();
      // Started again by webinfra, its count of systemd's own restarts starts over.
      sup.start(spec, fp, Duration.ofSeconds(60));
      assertThat(sup.isRunning(spec)).isTrue();
      sup.stop(spec);
      assertThat(sup.isRunning(spec)).isFalse();
    }
  }

  @Test
  @Order(9)
  void aUnitThatFailsToStartSaysSoWithItsJournal() {
    Topology t = servers();
    DaemonSpec broken =
        DaemonSpec.builder(
                "web1",
                "broken",
                List.of("sh", "-c", "echo cannot bind 198.19.131.21:9100 >&2; exit 1"),
                Path.of("/var/log/webinfra/broken.log"))
            .build();
    try (SshTransport ssh = new SshTransport(false)) {
      SystemdSupervisor sup =
          new SystemdSupervisor(new SshHostDriver(t, ssh), Poll.system(), line -> {});
      assertThatThrownBy(
              () -> sup.start(broken, Fingerprint.of(broken, Map.of()), Duration.ofSeconds(60)))
          .hasMessageStartingWith(
              "host web1: webinfra-broken.service exited while starting; its journal:\n")
          .hasMessageContaining("cannot bind 198.19.131.21:9100");
    }
  }

  @Test
  @Order(10)
  void eachSshFailureNamesTheHostAndWhatToDo() throws Exception {
    Path dir = moved.topologyFile().getParent();
    String web1 = moved.ip("198.18.7.21");
    Ssh good = servers().host("web1").orElseThrow().ssh().orElseThrow();
    Path otherKey = dir.resolve("other_key");
    dev.webinfra.host.Shell.check(
        "ssh-keygen", "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
    Path empty = dir.resolve("empty_known_hosts");
    Files.writeString(empty, "");
    Path lb1Keys = dir.resolve("lb1_known_hosts");
    String lb1Key =
        Files.readAllLines(layout.knownHosts()).stream()
            .filter(l -> l.startsWith(bed.sshAddress(lab.host("lb1").orElseThrow()) + ","))
            .findFirst()
            .orElseThrow()
            .split(" ", 2)[1];
    Files.writeString(lb1Keys, web1 + " " + lb1Key + "\n");
    try (SshTransport ssh = new SshTransport(false)) {
      String unused = moved.ip("198.18.7.250");
      assertThatThrownBy(() -> run(ssh, withAddress(good, unused)))
          .hasMessageStartingWith("host web1 (root@" + unused + "): unreachable over SSH (")
          .hasMessageEndingWith(
              "check its address and port, the network, and that sshd runs there");
      assertThatThrownBy(
              () -> run(ssh, new Ssh(web1, "root", 22, Optional.of(otherKey), layout.knownHosts())))
          .hasMessageStartingWith("host web1 (root@" + web1 + "): the server refused the login (")
          .hasMessageContaining("offer the right key");
      assertThatThrownBy(() -> run(ssh, new Ssh(web1, "root", 22, good.identity(), empty)))
          .hasMessage(
              "host web1 (root@"
                  + web1
                  + "): its SSH host key is not in "
                  + empty
                  + "; add it there, or accept it once with --accept-new-host-keys");
      assertThatThrownBy(() -> run(ssh, new Ssh(web1, "root", 22, good.identity(), lb1Keys)))
          .hasMessageStartingWith(
              "host web1 (root@"
                  + web1
                  + "): its SSH host key is not the one "
                  + lb1Keys
                  + " holds for it");
      run(ssh, good).ok();
      ssh.run(
          "web1",
          good,
          List.of(
              "sh",
              "-c",
              "useradd -m deploy && mkdir -p ~deploy/.ssh && cp /root/.ssh/authorized_keys"
                  + " ~deploy/.ssh/ && chown -R deploy: ~deploy/.ssh"),
          (String) null,
          TEN);
      assertThatThrownBy(
              () -> run(ssh, new Ssh(web1, "deploy", 22, good.identity(), good.knownHosts())))
          .hasMessageStartingWith(
              "host web1 (deploy@"
                  + web1
                  + "): deploy cannot run commands as root without a"
                  + " password (sudo -n: ")
          .hasMessageEndingWith("give it passwordless sudo, or log in as root");
    }
    try (SshTransport accepting = new SshTransport(true)) {
      assertThat(run(accepting, new Ssh(web1, "root", 22, good.identity(), empty)).ok())
          .as("a new host key accepted when asked")
          .isTrue();
      // Kept as the client keeps keys (Debian's ssh_config hashes host names): ssh-keygen finds it.
      assertThat(
              dev.webinfra.host.Shell.run("ssh-keygen", "-F", web1, "-f", empty.toString())
                  .stdout())
          .as("and kept")
          .contains("ssh-ed25519 ");
    }
  }

  static ExecResult run(SshTransport ssh, Ssh s) {
    return ssh.run("web1", s, List.of("true"), (String) null, TEN);
  }

  static Ssh withAddress(Ssh s, String address) {
    return new Ssh(address, s.user(), s.port(), s.identity(), s.knownHosts());
  }

  static CliRun siteUp;

  @Test
  @Order(11)
  void anAptFailureNamesTheHostAndThePackage() throws Exception {
    // The machines reach no package registry: a package their image lacks cannot be installed.
    Path extra = layout.dir().resolve("with-cowsay.yaml");
    Files.writeString(
        extra,
        Files.readString(layout.topology())
            .replace("\n  web1:\n", "\n  web1:\n    settings: { app: { packages: [cowsay] } }\n"));
    CliRun failed = CliRun.of("up", extra.toString());
    assertThat(failed.exitCode()).as(failed.out()).isEqualTo(3);
    assertThat(failed.err().strip())
        .startsWith("webinfra: host web1: apt-get install cowsay failed (")
        .contains("cowsay")
        .endsWith("); check the server's apt sources and network, or install them by hand")
        .doesNotContain("\n");
    assertThat(on(lab.host("web1").orElseThrow(), "test -e /usr/sbin/policy-rc.d").exitCode())
        .as("the policy that kept services from starting is gone")
        .isEqualTo(1);
    // The other servers went on meanwhile; on mon, the package galera-arbitrator-4 ships
    // garb.service and its alias garbd.service, which is masked with it.
    assertThat(failed.out())
        .contains("host mon: garb.service (package galera-arbitrator-4) masked")
        .contains("host mon: prometheus.service (package prometheus) masked");
  }

  @Test
  @Order(12)
  void upBringsTheSiteUpOnTheMachinesAsSystemdUnits() {
    siteUp = CliRun.of("up", layout.topology().toString());
    assertThat(siteUp.exitCode()).as(siteUp.err()).isZero();
    assertThat(siteUp.out())
        .contains("plan for lab ittb: ", "site ittb is up in ")
        .contains("take down: ./webinfra down --lab ittb")
        .contains(
            "host web1: webinfra's Java runtime installed in /var/lib/webinfra/runtime/bin/java");
    Host web1 = lab.host("web1").orElseThrow();
    assertThat(
            on(web1, "systemctl is-active webinfra-mariadb webinfra-app webinfra-nginx").stdout())
        .isEqualTo("active\nactive\nactive\n");
    assertThat(on(web1, "systemctl is-enabled webinfra-firewall mariadb").stdout())
        .as("the firewall's unit loads it at boot; the package's own mariadb is masked")
        .isEqualTo("enabled\nmasked\n");
    assertThat(on(web1, "nft list table inet webinfra").stdout())
        .contains("tcp dport 22 accept comment \"22/tcp from any\"");
    // The controller runs on the monitoring host, and reaches the servers with a key of its own.
    assertThat(siteUp.out())
        .contains("site ittb: controller running on mon (webinfra-controller.service, started");
    Host mon = lab.host("mon").orElseThrow();
    assertThat(on(mon, "systemctl is-active webinfra-controller").stdout()).isEqualTo("active\n");
    assertThat(on(web1, "grep -c ' webinfra-controller@ittb$' /root/.ssh/authorized_keys").stdout())
        .isEqualTo("1\n");
  }

  @Test
  @Order(13)
  void theClientReachesTheSiteRoundRobinAndEveryTargetIsUp() {
    Host client = lab.host("client").orElseThrow();
    ExecResult r =
        on(
            client,
            "for i in 1 2 3 4 5 6; do curl -sf https://www.foobar.com/ | grep -o 'web[0-9]' |"
                + " head -1; done");
    List<String> served = r.stdout().lines().toList();
    assertThat(served).as(r.describe()).hasSize(6).containsOnly("web1", "web2");
    for (int i = 1; i < served.size(); i++) {
      assertThat(served.get(i)).as("round robin: %s", served).isNotEqualTo(served.get(i - 1));
    }
    Host mon = lab.host("mon").orElseThrow();
    String prometheus = "http://" + mon.address("private").orElseThrow() + ":9090";
    ExecResult[] last = {null};
    boolean allUp =
        Poll.system()
            .within(
                Duration.ofSeconds(90),
                Duration.ofSeconds(1),
                () -> {
                  last[0] = on(mon, "curl -s " + prometheus + "/api/v1/targets");
                  String body = last[0].stdout();
                  return body.contains("\"health\":\"up\"")
                      && !body.contains("\"health\":\"down\"")
                      && !body.contains("\"health\":\"unknown\"");
                });
    assertThat(allUp).as("every target up: %s", last[0].stdout()).isTrue();
    assertThat(last[0].stdout().split("\"health\":\"up\"", -1).length - 1)
        .as("targets")
        .isGreaterThanOrEqualTo(20);
  }

  @Test
  @Order(14)
  void aSecondUpMakesNoChange() {
    CliRun again = CliRun.of("up", layout.topology().toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("plan for lab ittb: 0 changes, ");
  }

  @Test
  @Order(15)
  void cuttingTheActiveLoadBalancersPowerMovesTheFloatingIp() throws Exception {
    String vip = lab.vip().orElseThrow().address().toString();
    Host lb1 = lab.host("lb1").orElseThrow();
    Host lb2 = lab.host("lb2").orElseThrow();
    String holds = "ip -o -4 addr show | grep -q \" " + vip + "/\"";
    Host active = on(lb1, holds).ok() ? lb1 : lb2;
    Host standby = active == lb1 ? lb2 : lb1;
    assertThat(on(active, holds).ok()).as("one holds the floating IP").isTrue();
    // The standby notes, by the kernel's clock that every machine shares, when it holds it.
    var watch =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                bed.ssh(
                    bed.sshAddress(standby),
                    "touch /run/watching; timeout 20 sh -c 'until "
                        + holds
                        + "; do sleep 0.01; done'; date +%s%3N",
                    Duration.ofSeconds(30)));
    assertThat(
            Poll.system()
                .within(
                    TEN, Duration.ofMillis(50), () -> on(standby, "test -e /run/watching").ok()))
        .isTrue();
    long cut = bed.powerCut(active.name()).toEpochMilli();
    ExecResult took = watch.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(on(standby, holds).ok())
        .as("%s holds it: %s", standby.name(), took.describe())
        .isTrue();
    long movedMs = Long.parseLong(took.stdout().strip()) - cut;
    System.out.println(
        "SshTestbedIT: floating IP on "
            + standby.name()
            + " "
            + movedMs
            + " ms after the power cut of "
            + active.name());
    assertThat(movedMs).as("ms until the standby held the floating IP").isLessThan(3000);
    Host client = lab.host("client").orElseThrow();
    assertThat(on(client, "curl -sf -o /dev/null https://www.foobar.com/").exitCode())
        .as("the site answers through the standby")
        .isZero();
    // It stays off until it has paged: Alertmanager on mon posts HostDown to the controller there,
    // and events brings the entry here. Powered on at once, a machine that boots within the rule's
    // two evaluations would never page, and the dashboard's test below looks for this page.
    String paged = "HostDown (" + active.name() + " is down)";
    assertThat(
            Poll.system()
                .within(
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1),
                    () ->
                        CliRun.of("events", "--lab", lab.lab())
                            .out()
                            .lines()
                            .anyMatch(l -> l.contains("firing: ") && l.contains(paged))))
        .as("the controller's events hold %s", paged)
        .isTrue();
    // Powered on again, it boots its enabled units, and the site stays whole.
    bed.powerOn(lab, active.name());
    assertThat(
            on(active, "systemctl is-active webinfra-firewall webinfra-haproxy webinfra-keepalived")
                .stdout())
        .isEqualTo("active\nactive\nactive\n");
  }

  @Test
  @Order(16)
  void aGaleraMembersPowerCutUnderWritesLosesNoAcknowledgedWrite() throws Exception {
    Host client = lab.host("client").orElseThrow();
    Host web1 = lab.host("web1").orElseThrow();
    // One write after another from the client, each with an id of its own; the acknowledged ones
    // (a 2xx or 3xx answer) are listed as they come.
    var writes =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                bed.ssh(
                    bed.sshAddress(client),
                    "rm -f /tmp/acked; for i in $(seq 1 250); do code=$(curl -s -o /dev/null -w"
                        + " '%{http_code}' --max-time 10 -H 'Content-Type: application/json' -d"
                        + " \"{\\\"author\\\":\\\"ittb\\\",\\\"message\\\":\\\"ittb-w-$i\\\"}\""
                        + " https://www.foobar.com/entries); case $code in 2*|3*) echo ittb-w-$i >>"
                        + " /tmp/acked;; esac; done; wc -l < /tmp/acked",
                    Duration.ofMinutes(5)));
    assertThat(
            Poll.system()
                .within(
                    Duration.ofSeconds(60),
                    Duration.ofMillis(200),
                    () ->
                        on(client, "test $(wc -l < /tmp/acked 2>/dev/null || echo 0) -ge 60").ok()))
        .as("writes acknowledged before the cut")
        .isTrue();
    // stop HOST cuts a test bed machine's power, as it cuts a lab host's.
    long stopAt = System.nanoTime();
    CliRun stop = CliRun.of("stop", "web2", "--lab", lab.lab());
    assertThat(stop.exitCode()).as(stop.err()).isZero();
    assertThat(stop.out()).contains("host web2: stopped (");
    assertThat(bed.alive("web2")).as("web2's machine").isFalse();
    long stopDone = System.nanoTime();
    // web3 replicated from web2: the controller on mon moves it to web1, this machine not asked.
    Host web3 = lab.host("web3").orElseThrow();
    String follows =
        "mariadb --defaults-file="
            + MariadbUnit.myCnf(HostPaths.server())
            + " -e 'SHOW SLAVE STATUS\\G' | grep -E 'Master_Host|Slave_IO_Running:'";
    String web1There = web1.addressFor(web3).toString();
    assertThat(
            Poll.system()
                .within(
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1),
                    () -> {
                      String st = on(web3, follows).stdout();
                      return st.contains("Master_Host: " + web1There)
                          && st.contains("Slave_IO_Running: Yes");
                    }))
        .as(
            "web3 follows web1: %s; the controller's journal: %s",
            on(web3, follows).stdout(),
            on(lab.host("mon").orElseThrow(), "journalctl -u webinfra-controller -n 30 --no-pager")
                .stdout())
        .isTrue();
    System.out.printf(
        "SshTestbedIT: web3 follows web1 %.1f s after stop web2 began (stop itself %.1f s)%n",
        (System.nanoTime() - stopAt) / 1e9, (stopDone - stopAt) / 1e9);
    ExecResult done = writes.get(5, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(done.ok()).as(done.describe()).isTrue();
    List<String> acked = on(client, "cat /tmp/acked").stdout().lines().toList();
    assertThat(acked.size()).as("acknowledged of 250").isGreaterThan(200);
    ExecResult rows =
        on(
            web1,
            "mariadb --defaults-file="
                + MariadbUnit.myCnf(HostPaths.server())
                + " -N -B -e \"SELECT message FROM webinfra.entries WHERE message LIKE"
                + " 'ittb-w-%'\"");
    assertThat(rows.ok()).as(rows.describe()).isTrue();
    java.util.Set<String> stored = new java.util.HashSet<>(rows.stdout().lines().toList());
    assertThat(acked.stream().filter(a -> !stored.contains(a)).toList())
        .as("acknowledged writes missing on web1")
        .isEmpty();
    // start HOST powers the machine on; it boots its units, and the site converges around it.
    Host web2 = lab.host("web2").orElseThrow();
    CliRun start = CliRun.of("start", "web2", "--wait", "--lab", lab.lab());
    assertThat(start.exitCode()).as(start.err()).isZero();
    assertThat(start.out()).contains("host web2: powering on", "host web2: ready");
    String state =
        "mariadb --defaults-file="
            + MariadbUnit.myCnf(HostPaths.server())
            + " -N -B -e \"SHOW STATUS LIKE 'wsrep_local_state_comment'\"";
    assertThat(
            Poll.system()
                .within(
                    Duration.ofSeconds(120),
                    Duration.ofSeconds(1),
                    () -> on(web2, state).stdout().contains("Synced")))
        .as(
            "web2 synced again; its error log: %s",
            on(web2, "tail -n 40 /var/log/webinfra/mariadb/mariadb.err").stdout())
        .isTrue();
  }

  @Test
  @Order(17)
  void deployRollsTheAppOverSsh() throws Exception {
    Path jar =
        dev.webinfra.lab.Artifacts.withVersion(LabFixture.appJar(), "9.9-ittb", layout.dir());
    CliRun d = CliRun.of("deploy", jar.toString(), "--lab", lab.lab());
    assertThat(d.exitCode()).as(d.err()).isZero();
    assertThat(d.out()).contains("web1: draining", "web2: new version healthy");
    for (String h : List.of("web1", "web2", "web3")) {
      assertThat(
              on(
                      lab.host(h).orElseThrow(),
                      "curl -s -D - -o /dev/null http://127.0.0.1:8080/health | grep -i"
                          + " '^x-app-version:'")
                  .stdout()
                  .strip())
          .as("the version %s runs", h)
          .isEqualToIgnoringCase("x-app-version: 9.9-ittb");
    }
  }

  @Test
  @Order(18)
  void theOperatorsVerbsReachTheServers() {
    String site = lab.lab();
    CliRun logs = CliRun.of("logs", "web1", "app", "-n", "5", "--lab", site);
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out()).contains("==> web1/app: journal of webinfra-app.service <==");
    CliRun db = CliRun.of("logs", "web1", "mariadb", "--lab", site);
    assertThat(db.exitCode()).as(db.err()).isZero();
    assertThat(db.out()).as("the log mariadb writes itself").contains("mariadb.err <==");
    assertThat(
            CliRun.of(
                    "exec",
                    "--lab",
                    site,
                    "web1",
                    "--",
                    "systemctl",
                    "is-active",
                    "--quiet",
                    "webinfra-app")
                .exitCode())
        .as("exec runs on the server")
        .isZero();
    assertThat(CliRun.of("exec", "--lab", site, "web1", "--", "sh", "-c", "exit 3").exitCode())
        .as("exec's exit code is the command's")
        .isEqualTo(3);
    CliRun events = CliRun.of("events", "--lab", site);
    assertThat(events.exitCode()).as(events.err()).isZero();
    assertThat(events.out()).contains("webinfra stop web2").contains("web3 follows web1");
    CliRun status = CliRun.of("status", "--lab", site);
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("web1", "web2", "lb1");
    CliRun reload = CliRun.of("reload", "lb1", "lb2", "web1", "--lab", site);
    assertThat(reload.exitCode()).as(reload.out() + reload.err()).isZero();
    assertThat(
            on(
                    lab.host("client").orElseThrow(),
                    "curl -s -o /dev/null -w '%{http_code}' https://www.foobar.com/")
                .stdout())
        .as("the site answers after the reload")
        .isEqualTo("200");
  }

  @Test
  @Order(19)
  void theDashboardComesOverSshAndAlertsReachTheController() throws Exception {
    String site = lab.lab();
    // The power cuts above paged: Alertmanager on mon posted to the controller there, and events
    // brings its entries here.
    CliRun events = CliRun.of("events", "--lab", site);
    assertThat(events.exitCode()).as(events.err()).isZero();
    assertThat(events.out()).as("the pages of the power cuts").contains("firing: HostDown");
    Path cliJar =
        Path.of(System.getProperty("webinfra.home", "..")).resolve("control/target/webinfra.jar");
    Process dashboard =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                cliJar.toString(),
                "dashboard",
                "--lab",
                site)
            .redirectErrorStream(true)
            .start();
    int port;
    try {
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  dashboard.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String url =
          java.util.concurrent.CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return out.readLine();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(url).as("dashboard's first line").startsWith("https://127.0.0.1:");
      java.net.URI u = java.net.URI.create(url);
      port = u.getPort();
      String token = u.getQuery().substring("token=".length());
      String base = "https://127.0.0.1:" + port;
      assertThat(fromHere(base + "/api/status").get(0))
          .as("the status without the token")
          .isEqualTo("401");
      try (dev.webinfra.lab.TokenHeader header = dev.webinfra.lab.TokenHeader.of(token)) {
        List<String> status = fromHere(base + "/api/status", "-K", header.path());
        assertThat(status.get(0))
            .as("the status with the token: %s", status.get(1))
            .isEqualTo("200");
        assertThat(status.get(1))
            .as("the site's status, read by the controller on mon")
            .contains("\"web1\"", "\"mon\"", "\"lb1\"");
      }
    } finally {
      dashboard.destroy();
      assertThat(dashboard.waitFor(20, java.util.concurrent.TimeUnit.SECONDS))
          .as("dashboard ends")
          .isTrue();
    }
    try (java.net.Socket s = new java.net.Socket()) {
      assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000))
          .as("the forward ends with the command")
          .isInstanceOf(java.io.IOException.class);
    }
  }

  // curl from this machine, trusting the site's CA: the status, then the body.
  static List<String> fromHere(String url, String... curlArgs) {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "curl",
                "-s",
                "--max-time",
                "60",
                "-w",
                "\n%{http_code}",
                "--cacert",
                "/var/lib/webinfra/sites/" + lab.lab() + "/ca.crt"));
    cmd.addAll(List.of(curlArgs));
    cmd.add(url);
    String out = dev.webinfra.host.Shell.run(cmd, null, Duration.ofSeconds(90)).stdout();
    int nl = out.lastIndexOf('\n');
    return List.of(out.substring(nl + 1).strip(), nl < 0 ? "" : out.substring(0, nl));
  }

  @Test
  @Order(20)
  void chaosUnderLoadCutsPowerDelaysALinkAndKillsADaemonOnServers() throws Exception {
    Path scenario = layout.dir().resolve("chaos.yaml");
    Files.writeString(
        scenario,
        "preset: ha-cluster\n"
            + "load: { rate: 20, writes: 20, duration: 20s }\n"
            + "faults:\n"
            + "  - { name: lb-power-cut, kind: power-cut, host: \"@vip\", at: 3s, duration: 6s }\n"
            // No netem in a test bed's kernel: the latency proxy runs on web3, on webinfra's
            // runtime there.
            + "  - { name: replica-latency, kind: latency, from: web3, to: web2, port: 3306,"
            + " delay: 100ms, at: 5s, duration: 5s }\n"
            + "  - { name: app-kill, kind: kill, host: web1, daemon: app, at: 12s, duration: 4s"
            + " }\n");
    CliRun chaos = CliRun.of("chaos", scenario.toString(), "--json", "--lab", lab.lab());
    assertThat(chaos.exitCode()).as("chaos; stderr:%n%s", chaos.err()).isZero();
    var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(chaos.out());
    assertThat(j.get("requests").asLong()).isEqualTo(400);
    var faults = j.get("faults");
    assertThat(faults.findValuesAsText("name"))
        .containsExactly("lb-power-cut", "replica-latency", "app-kill");
    for (var f : faults) {
      assertThat(f.has("error")).as("injected: %s", f).isFalse();
      assertThat(f.get("undo_errors")).as("undone cleanly: %s", f).isEmpty();
      assertThat(f.get("undone_at").isNumber()).as("undone: %s", f).isTrue();
      assertThat(f.get("lost_writes").asLong()).as("lost in %s", f.get("name")).isZero();
    }
    assertThat(faults.get(0).get("done").asText()).contains("lb");
    assertThat(faults.get(1).get("done").asText())
        .as("the proxy's line")
        .contains("proxy (", "+100 ms each way on web3 -> ");
    assertThat(j.get("writes").get("lost").asLong()).isZero();
    System.out.printf(
        "SshTestbedIT: chaos on servers: %d of %d requests failed (lb-power-cut %d,"
            + " replica-latency %d, app-kill %d)%n",
        j.get("failed").asLong(),
        j.get("requests").asLong(),
        faults.get(0).get("failed_requests").asLong(),
        faults.get(1).get("failed_requests").asLong(),
        faults.get(2).get("failed_requests").asLong());
    // The visitors ran on the client machine, on webinfra's runtime installed there for them.
    assertThat(
            on(lab.host("client").orElseThrow(), "test -x /var/lib/webinfra/runtime/bin/java").ok())
        .isTrue();
    for (String h : List.of("lb1", "lb2")) {
      assertThat(on(lab.host(h).orElseThrow(), "systemctl is-active webinfra-haproxy").stdout())
          .as("%s serves again", h)
          .isEqualTo("active\n");
    }
  }

  @Test
  @Order(21)
  void downTakesOffEverythingWebinfraInstalled() {
    CliRun d = CliRun.of("down", layout.topology().toString());
    assertThat(d.exitCode()).as(d.err()).isZero();
    assertThat(d.out())
        .contains(
            "site ittb: down; checked on every host: no webinfra unit, file, user or firewall"
                + " table is left (packages stay)");
    for (Host h : lab.hosts()) {
      ExecResult left =
          on(
              h,
              "ls /etc/systemd/system | grep webinfra; ls -d /etc/webinfra /var/lib/webinfra"
                  + " /var/log/webinfra 2>/dev/null; id -u webinfra 2>/dev/null; nft list tables |"
                  + " grep webinfra; systemctl list-units --all --plain --no-legend 'webinfra-*';"
                  + " ls -l /etc/systemd/system | grep /dev/null; grep -s webinfra-controller"
                  + " /root/.ssh/authorized_keys; true");
      assertThat(left.stdout()).as("webinfra's things left on %s", h.name()).isEmpty();
    }
    assertThat(Path.of("/var/lib/webinfra/sites", lab.lab())).doesNotExist();
  }

  @Test
  @Order(22)
  void dbPromoteMovesThePrimaryOfAPrimaryReplicaSiteOnServers() throws Exception {
    // The same machines, cleared by down, as a smaller site whose database is primary-replica
    // (Galera's members are all writable: nothing to promote): web1 the primary, web2 its replica,
    // web3 a spare, one load balancer, no floating IP and no monitoring host.
    var yaml =
        new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    var root =
        (com.fasterxml.jackson.databind.node.ObjectNode) yaml.readTree(layout.topology().toFile());
    root.remove("vip");
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.with("defaults").with("monitoring"))
        .put("agent", false);
    var hosts = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("hosts");
    hosts.remove(List.of("lb2", "mon", "dns2"));
    // web3 stays listed, as a spare: an active web server (no longer the backup) that runs nothing
    // until scale brings it in (the next test).
    var web3Node = (com.fasterxml.jackson.databind.node.ObjectNode) hosts.get("web3");
    web3Node.remove("settings");
    web3Node.put("spare", true);
    var db = yaml.createObjectNode();
    db.put("topology", "primary-replica").put("primary", "web1").put("failover", "manual");
    db.putArray("replicas").add("web2");
    root.set("database", db);
    Path small = layout.dir().resolve("primary-replica.yaml");
    yaml.writeValue(small.toFile(), root);

    CliRun siteUp = CliRun.of("up", small.toString());
    assertThat(siteUp.exitCode()).as(siteUp.err()).isZero();
    assertThat(siteUp.out())
        .as("no monitoring host, so no controller: said, not failed")
        .contains("site ittb: no controller runs, since it has no monitoring host to run on");
    Host client = lab.host("client").orElseThrow();
    Host web1 = lab.host("web1").orElseThrow();
    Host web2 = lab.host("web2").orElseThrow();
    String sql = "mariadb --defaults-file=" + MariadbUnit.myCnf(HostPaths.server()) + " -N -B -e ";
    String slaveStatus =
        "mariadb --defaults-file="
            + MariadbUnit.myCnf(HostPaths.server())
            + " -e 'SHOW SLAVE STATUS\\G'";
    assertThat(on(web2, sql + "'SELECT @@read_only'").stdout().strip()).isEqualTo("1");

    CliRun promote = CliRun.of("db", "promote", "web2", "--lab", lab.lab());
    assertThat(promote.exitCode()).as(promote.err()).isZero();
    assertThat(promote.out())
        .contains(
            "db promote: making web2 the writable primary",
            "db promote: web2 is the primary; web1 follows it read-only");
    assertThat(on(web2, sql + "'SELECT @@read_only'").stdout().strip()).isEqualTo("0");
    assertThat(on(web1, sql + "'SELECT @@read_only'").stdout().strip()).isEqualTo("1");
    // A write through the site lands on web2 and reaches web1, which follows it.
    ExecResult write =
        on(
            client,
            "curl -sf -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d"
                + " '{\"author\":\"ittb\",\"message\":\"ittb-promoted\"}'"
                + " https://www.foobar.com/entries");
    assertThat(write.ok()).as(write.describe()).isTrue();
    String count =
        sql + "\"SELECT COUNT(*) FROM webinfra.entries WHERE message = 'ittb-promoted'\"";
    assertThat(on(web2, count).stdout().strip()).isEqualTo("1");
    assertThat(
            Poll.system()
                .within(
                    Duration.ofSeconds(10),
                    Duration.ofMillis(200),
                    () -> on(web1, count).stdout().strip().equals("1")))
        .as("web1 replicated the write: %s", on(web1, slaveStatus).stdout())
        .isTrue();
    assertThat(on(web1, slaveStatus).stdout())
        .contains("Master_Host: " + web2.addressFor(web1), "Slave_SQL_Running: Yes");
  }

  @Test
  @Order(23)
  void scaleBringsTheSpareInAndTakesItOffAgain() throws Exception {
    Host client = lab.host("client").orElseThrow();
    Host web2 = lab.host("web2").orElseThrow();
    Host web3 = lab.host("web3").orElseThrow();
    String sql = "mariadb --defaults-file=" + MariadbUnit.myCnf(HostPaths.server()) + " -N -B -e ";
    String units = "systemctl is-active webinfra-nginx webinfra-app webinfra-mariadb";
    assertThat(on(web3, units).stdout().lines())
        .as("the spare runs nothing yet")
        .doesNotContain("active");

    CliRun out = CliRun.of("scale", "web=3", "--lab", lab.lab());
    assertThat(out.exitCode()).as(out.err()).isZero();
    assertThat(out.out()).contains("scale: adding web3", "scale: web=3: web3 serving");
    assertThat(on(web3, units).stdout()).isEqualTo("active\nactive\nactive\n");
    // A replica of the primary (web2, promoted by the last test), with what it held already.
    String count =
        sql + "\"SELECT COUNT(*) FROM webinfra.entries WHERE message = 'ittb-promoted'\"";
    assertThat(on(web3, count).stdout().strip())
        .as("the write made before it joined")
        .isEqualTo("1");
    assertThat(
            on(
                    web3,
                    "mariadb --defaults-file="
                        + MariadbUnit.myCnf(HostPaths.server())
                        + " -e 'SHOW SLAVE STATUS\\G'")
                .stdout())
        .contains("Master_Host: " + web2.addressFor(web3), "Slave_SQL_Running: Yes");
    assertThat(servedBy(client, 6))
        .as("round robin over the three")
        .containsOnly("web1", "web2", "web3")
        .contains("web3");

    CliRun in = CliRun.of("scale", "web=2", "--lab", lab.lab());
    assertThat(in.exitCode()).as(in.err()).isZero();
    assertThat(in.out())
        .contains("scale: removing web3", "scale: web3: cleared of everything webinfra installed");
    ExecResult left =
        on(
            web3,
            "ls /etc/systemd/system | grep webinfra; ls -d /etc/webinfra /var/lib/webinfra"
                + " /var/log/webinfra 2>/dev/null; id -u webinfra 2>/dev/null; nft list tables |"
                + " grep webinfra; systemctl list-units --all --plain --no-legend 'webinfra-*';"
                + " true");
    assertThat(left.stdout()).as("webinfra's things left on the spare").isEmpty();
    assertThat(servedBy(client, 4)).as("served without it").hasSize(4).containsOnly("web1", "web2");
    // Left up: testbed down forgets it with the machines (checked after the last test).
  }

  /** The web servers that answered {@code n} requests for the site, one after the other. */
  static List<String> servedBy(Host client, int n) {
    ExecResult r =
        on(
            client,
            "for i in $(seq 1 "
                + n
                + "); do curl -sf https://www.foobar.com/ | grep -o 'web[0-9]' | head -1; done");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    return r.stdout().lines().toList();
  }

  @Test
  @Order(24)
  void aPowerCutStopsThatMachineOnly() {
    Host web3 = lab.host("web3").orElseThrow();
    bed.powerCut("web3");
    assertThat(bed.alive("web3")).isFalse();
    assertThat(on(web3, "true").exitCode()).as("ssh to the cut machine").isEqualTo(255);
    assertThat(on(lab.host("web2").orElseThrow(), "systemctl is-system-running").stdout().strip())
        .isEqualTo("running");
  }
}
