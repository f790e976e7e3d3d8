package dev.webinfra.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.RenderedFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.Golden;
import dev.webinfra.render.systemd.SystemdUnitRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Ssh;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller of a site of servers, as far as it is pure: its unit on the monitoring host, how
 * it reaches each server (the address on a network they share, its own key and known_hosts), the
 * line that lets it in, and the event log merged between this machine and the monitoring host.
 */
class ServerControllerTest {
  @TempDir Path dir;

  Topology t;
  Host mon;
  final ServerLayout layout = new ServerLayout("srv");

  @BeforeEach
  void site() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Files.writeString(dir.resolve("keys/id_ed25519"), "not read at load\n");
    Path file = dir.resolve("site.yaml");
    Files.writeString(
        file,
        """
        lab: srv
        domain: foobar.com
        networks:
          public: { cidr: 203.0.113.0/24 }
          private: { cidr: 10.0.0.0/24 }
        ssh:
          user: admin
          identity: keys/id_ed25519
          known_hosts: keys/known_hosts
        hosts:
          lb1:
            roles: [lb]
            networks: { public: 203.0.113.11, private: 10.0.0.11 }
            ssh: { address: 203.0.113.11 }
          web1:
            roles: [web, app, db]
            networks: { private: 10.0.0.21 }
            ssh: { address: web1.example.net, port: 2222 }
          web2:
            roles: [web, app, db]
            networks: { private: 10.0.0.22 }
            ssh: { address: 10.0.0.22 }
          mon:
            roles: [monitor]
            networks: { private: 10.0.0.30 }
            ssh: { address: 10.0.0.30 }
        database: { topology: primary-replica, primary: web1, replicas: [web2], failover: automatic }
        """);
    t = TopologyLoader.load(file);
    mon = t.host("mon").orElseThrow();
  }

  @Test
  void itRunsOnTheFirstMonitoringHostAsAUnitOfItsOwn() {
    assertThat(ServerController.host(t)).contains(mon);
    RenderedFile unit =
        SystemdUnitRenderer.render(
            ServerController.spec(t, mon, HostPaths.server(), layout), HostPaths.server());
    assertThat(unit.path()).hasToString("/etc/systemd/system/webinfra-controller.service");
    Golden.assertMatches("systemd/servers/mon/webinfra-controller.service", unit.content());
  }

  @Test
  void itReachesEachServerOnTheNetworkTheyShareWithItsOwnKey() {
    Ssh lb1 = ServerController.reach(mon, t.host("lb1").orElseThrow(), layout);
    assertThat(lb1.address())
        .as("lb1's private address, not the operator's")
        .isEqualTo("10.0.0.11");
    assertThat(lb1.user()).isEqualTo("admin");
    assertThat(lb1.identity())
        .contains(Path.of("/var/lib/webinfra/sites/srv/secrets/controller_ed25519"));
    assertThat(lb1.knownHosts())
        .isEqualTo(Path.of("/var/lib/webinfra/sites/srv/controller_known_hosts"));
    Ssh web1 = ServerController.reach(mon, t.host("web1").orElseThrow(), layout);
    assertThat(web1.address()).isEqualTo("10.0.0.21");
    assertThat(web1.port()).isEqualTo(2222);
  }

  @Test
  void theOperatorsHostKeysAreKeptUnderTheAddressTheControllerUses() {
    String found =
        "# Host 203.0.113.11 found: line 3\n"
            + "|1|c2FsdA==|aGFzaA== ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey1\n"
            + "203.0.113.11 ecdsa-sha2-nistp256 AAAAE2Vj\n";
    assertThat(ServerController.rewritten(found, "10.0.0.11"))
        .containsExactly(
            "10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKey1",
            "10.0.0.11 ecdsa-sha2-nistp256 AAAAE2Vj");
    assertThat(ServerController.rewritten("", "10.0.0.11")).isEmpty();
  }

  @Test
  void itsKnownHostsHoldTheSparesKeysToo() throws Exception {
    // web3, a spare: the controller restarted after scale brings it in must reach it.
    Path file = dir.resolve("site.yaml");
    Files.writeString(
        file,
        Files.readString(file)
            .replace(
                "  mon:\n",
                "  web3:\n    roles: [web, app, db]\n    spare: true\n    networks: { private:"
                    + " 10.0.0.23 }\n    ssh: { address: 10.0.0.23 }\n  mon:\n"));
    Topology withSpare = TopologyLoader.load(file);
    assertThat(withSpare.spare("web3")).isPresent();
    Files.writeString(
        dir.resolve("keys/known_hosts"),
        "203.0.113.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyLb1\n"
            + "10.0.0.23 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyWeb3\n");
    java.util.List<String> missing = new java.util.ArrayList<>();
    String known = ServerController.knownHostsFor(withSpare, mon, layout, missing::add);
    assertThat(known.lines())
        .containsExactly(
            "10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyLb1",
            "10.0.0.23 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyWeb3");
    assertThat(missing)
        .as("hosts that run without a key; not a spare")
        .containsExactly("web1", "web2", "mon");
    Files.writeString(dir.resolve("keys/known_hosts"), "");
    missing.clear();
    ServerController.knownHostsFor(withSpare, mon, layout, missing::add);
    assertThat(missing).as("a spare not reached yet is not missing").doesNotContain("web3");
  }

  @Test
  void itsKeyIsLetInFromTheMonitoringHostOnlyAndForCommandsOnly() {
    assertThat(ServerController.authorizedLine(mon, "ssh-ed25519 AAAAkey webinfra-controller@srv"))
        .isEqualTo(
            "from=\"10.0.0.30\",no-agent-forwarding,no-port-forwarding,no-X11-forwarding,no-pty"
                + " ssh-ed25519 AAAAkey webinfra-controller@srv");
    assertThat(ServerController.marker("srv")).isEqualTo("webinfra-controller@srv");
  }

  @Test
  void theEventLogsOfBothSidesMergeOnceEachOldestFirst() {
    String ctl1 = "{\"time\":\"2026-12-06T07:00:01Z\",\"code\":\"ControllerStarted\"}";
    String op = "{\"time\":\"2026-12-06T07:00:02.500Z\",\"code\":\"OperatorStop\"}";
    String ctl2 = "{\"time\":\"2026-12-06T07:00:03Z\",\"code\":\"ReplicaSourceDead\"}";
    String cut = "{\"time\":\"2026-12-06T07:00:0";
    String here = ctl1 + "\n" + op + "\n";
    String there = ctl1 + "\n" + ctl2 + "\n" + cut + "\n";
    assertThat(ServerController.merged(here, there).lines().toList())
        .containsExactly(ctl1, op, ctl2, cut);
    assertThat(ServerController.merged(here, "")).isEqualTo(here);
    assertThat(ServerController.merged("", "")).isEmpty();
  }

  @Test
  void theControllersTopologyReachesTheServersWithItsKeyAndCarriesTheCertificate()
      throws Exception {
    String rewritten =
        ServerController.forController(
            "lab: srv\nssh:\n  user: admin\n  identity: keys/id\n  known_hosts: keys/kh\n"
                + "tls:\n  mode: files\n  cert: ../certs/site.crt\n  key: /etc/ssl/site.key\n"
                + "hosts:\n  web1:\n    roles: [web]\n    networks: { private: 10.0.0.21 }\n"
                + "    ssh: { address: 10.0.0.21, identity: /home/me/.ssh/web1 }\n",
            Path.of("/var/lib/webinfra/sites/srv/secrets/controller_ed25519"),
            Path.of("/var/lib/webinfra/sites/srv/controller_known_hosts"),
            true);
    assertThat(rewritten)
        .contains("identity: \"/var/lib/webinfra/sites/srv/secrets/controller_ed25519\"")
        .contains("known_hosts: \"/var/lib/webinfra/sites/srv/controller_known_hosts\"")
        .contains("user: \"admin\"", "address: \"10.0.0.21\"")
        .contains("cert: \"tls.crt\"", "key: \"tls.key\"", "private: \"10.0.0.21\"")
        .doesNotContain("site.crt", "/home/me", "keys/id");
  }

  @Test
  void theSitesStateTravelsAsATarAndReplacesWhatItHolds() throws Exception {
    Path from = Files.createDirectories(dir.resolve("from"));
    Files.createDirectories(from.resolve("state/stopped"));
    Files.writeString(from.resolve("state/stopped/web2"), "");
    Files.writeString(from.resolve("events.log"), "a\n");
    byte[] tar = StateTar.pack(from, List.of("state", "events.log", "secrets"));
    assertThat(StateTar.entry(tar, "events.log")).contains("a\n");
    assertThat(StateTar.entry(tar, "secrets")).isEmpty();

    Path to = Files.createDirectories(dir.resolve("to"));
    Files.createDirectories(to.resolve("state/stopped"));
    Files.writeString(to.resolve("state/stopped/web1"), "");
    Files.writeString(to.resolve("state/primary"), "web1\n");
    StateTar.unpack(tar, to, List.of("state"));
    assertThat(to.resolve("state/stopped/web2")).exists();
    assertThat(to.resolve("state/stopped/web1")).as("what the tar lacks of state").doesNotExist();
    assertThat(to.resolve("state/primary")).doesNotExist();
    assertThat(StateTar.pack(dir.resolve("none"), List.of("state"))).isEmpty();
    assertThat(StateTar.entry(new byte[0], "events.log")).isEqualTo(Optional.empty());
  }

  @Test
  void itsMonitoringHostsAlertmanagerNotifiesItOnItsOwnLoopback() {
    String config =
        dev.webinfra.render.alertmanager.AlertmanagerRenderer.render(t, mon, HostPaths.server())
            .stream()
            .filter(f -> f.path().getFileName().toString().equals("alertmanager.yml"))
            .findFirst()
            .orElseThrow()
            .content();
    assertThat(config)
        .contains("      - url: http://127.0.0.1:9095/alertmanager\n")
        .contains("credentials_file: /etc/webinfra/alertmanager-webhook.token");
    assertThat(dev.webinfra.render.alertmanager.Webhook.listenAddress(t, mon))
        .contains("127.0.0.1");
    assertThat(new dev.webinfra.render.alertmanager.AlertmanagerUnit().toMachine(t, mon))
        .as("nothing goes to the operator's machine")
        .isEmpty();
  }
}
