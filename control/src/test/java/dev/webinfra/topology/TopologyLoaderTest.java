package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyLoaderTest {

  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Path INVALID = Path.of("src/test/resources/topologies/invalid");

  @Test
  void singleServerPresetHasClientDnsAndOneFullServer() {
    Topology t = TopologyLoader.load(PRESETS.resolve("single-server.yaml"));

    assertThat(t.lab()).isEqualTo("single");
    assertThat(t.siteFqdns()).containsExactly("www.foobar.com");
    assertThat(t.hosts()).extracting(Host::name).containsExactly("client", "dns", "web1");
    assertThat(t.host("web1").orElseThrow().roles()).containsExactly(Role.WEB, Role.APP, Role.DB);
    assertThat(t.database().kind())
        .as("one db host needs no database block")
        .isEqualTo(Database.Kind.SINGLE);
    assertThat(t.database().primary()).contains("web1");
    assertThat(t.siteAddress()).as("DNS points at the only web server").hasToString("198.18.0.21");
    assertThat(t.network("public").orElseThrow().machineAddress())
        .map(Ipv4::toString)
        .contains("198.18.0.254");
  }

  @Test
  void haClusterPresetResolvesSiteToTheFloatingIpAndLayersSettings() {
    Topology t = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

    assertThat(t.siteAddress()).as("DNS points at the VIP").hasToString("198.18.6.100");
    assertThat(t.database().kind()).isEqualTo(Database.Kind.GALERA);
    assertThat(t.database().writableHosts()).containsExactly("web1", "web2");
    assertThat(t.database().replicationSource()).contains("web2");
    Host web3 = t.host("web3").orElseThrow();
    assertThat(web3.settings().web().backup()).as("host layer").isTrue();
    assertThat(web3.settings().firewall().enabled()).as("defaults layer").isTrue();
    Host client = t.host("client").orElseThrow();
    assertThat(client.settings().firewall().enabled())
        .as("role layer overrides defaults")
        .isFalse();
    assertThat(client.settings().app().port()).as("built-in layer").isEqualTo(8080);
  }

  @ParameterizedTest
  @CsvSource({
    "single-server.yaml",
    "three-servers.yaml",
    "secured-monitored.yaml",
    "ha-cluster.yaml"
  })
  void everyPresetLoads(String preset) {
    assertThat(TopologyLoader.load(PRESETS.resolve(preset)).hosts()).isNotEmpty();
  }

  @Test
  void galeraReadsAreCausalUnlessTurnedOff() {
    assertThat(TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml")).database().causalReads())
        .as("galera, causal_reads unset")
        .isTrue();
    assertThat(
            TopologyLoader.load(PRESETS.resolve("secured-monitored.yaml")).database().causalReads())
        .as("primary-replica")
        .isFalse();
    assertThat(
            TopologyLoader.load(
                    Path.of("src/test/resources/topologies/review/galera-reads-not-causal.yaml"))
                .database()
                .causalReads())
        .as("causal_reads: false")
        .isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad-yaml.yaml             | :9:13: not valid YAML: expected ',' or ']'",
        "unknown-role.yaml         | :8:23: hosts.web1.roles[2]: unknown role 'dbms'; allowed:"
            + " client, dns, lb, web, app, db",
        "duplicate-host.yaml       | :10:3: hosts.web1: duplicate key 'web1' (first at",
        "missing-field.yaml        | :8:5: hosts.web1.roles: missing required field 'roles'",
        "address-out-of-range.yaml | :9:25: hosts.web1.networks.public: address 10.0.0.21 is out of"
            + " range: it must be a host address inside 198.18.0.0/24",
        "semi-sync-on-galera.yaml  | :16:14: database.semi_sync: 'semi_sync' does not apply to"
            + " topology galera and would be ignored; it applies to primary-replica",
        "replicate-from-on-primary-replica.yaml | :15:19: database.replicate_from: 'replicate_from'"
            + " does not apply to topology primary-replica",
        "causal-reads-on-primary-replica.yaml | :15:17: database.causal_reads: 'causal_reads'"
            + " does not apply to topology primary-replica",
        "arbitrator-without-galera.yaml | database: host arb has role arbitrator, but an arbitrator"
            + " (garbd) only runs for topology galera",
        "vip-on-machine-address.yaml | :6:17: vip.address: the floating IP 198.18.0.254 is already"
            + " the machine's address on public"
      })
  void malformedTopologyGivesOneLocatedErrorWithExitCode2(String file, String expected) {
    assertThatThrownBy(() -> TopologyLoader.load(INVALID.resolve(file)))
        .isInstanceOfSatisfying(
            WebinfraException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(2);
              assertThat(e.getMessage()).as("names the file").contains(file);
              assertThat(e.getMessage().lines().count()).as("one problem, one line").isEqualTo(1);
            })
        .hasMessageContaining(expected.trim().split("\\|")[0].trim());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String yaml =
        """
        lab: Bad_Lab
        domain: foobar
        networks:
          public: { cidr: 198.18.0.0/24 }
          other: { cidr: 198.18.0.128/25 }
        hosts:
          web1: { roles: [web], networks: { public: 198.18.0.254 } }
        """;
    assertThatThrownBy(() -> TopologyLoader.parse(yaml, "t.yaml"))
        .hasMessageContaining("t.yaml:1:6: lab: 'Bad_Lab' is not allowed")
        .hasMessageContaining("domain: 'foobar' is not a domain name")
        .hasMessageContaining("overlaps network 'public'")
        .hasMessageContaining(
            "address 198.18.0.254 is already taken by the machine's address on public");
  }

  @Test
  void aLabMayNotTakeTheNameOfTheSitesOrTheTestBedsDirectory() {
    for (String reserved : List.of("sites", "testbed")) {
      String yaml =
          """
          lab: %s
          domain: foobar.com
          networks:
            public: { cidr: 198.18.0.0/24 }
          hosts:
            web1: { roles: [web], networks: { public: 198.18.0.10 } }
          """
              .formatted(reserved);
      assertThatThrownBy(() -> TopologyLoader.parse(yaml, "t.yaml"))
          .hasMessageContaining("t.yaml:1:6: lab: '" + reserved + "' is reserved")
          .hasMessageContaining("name the lab otherwise");
    }
  }

  @Test
  void rejectsUnknownFieldsNamingWhatIsAllowed() {
    String yaml =
        """
        lab: lab1
        domain: foobar.com
        networks: { public: { cidr: 198.18.0.0/24 } }
        hosts:
          web1: { roles: [web], networks: { public: 198.18.0.2 }, settings: { app: { prot: 1 } } }
        """;
    assertThatThrownBy(() -> TopologyLoader.parse(yaml, "t.yaml"))
        .hasMessageContaining(
            "hosts.web1.settings.app.prot: unknown field 'prot'; allowed: command, dir, env,"
                + " health, heap_mb, jar, packages, pool_size, port, user");
  }

  @Test
  void rejectsNetworksOutsideTheLabRange() {
    String yaml =
        """
        lab: lab1
        domain: foobar.com
        networks: { public: { cidr: 192.168.1.0/24 } }
        hosts:
          web1: { roles: [web], networks: { public: 192.168.1.2 } }
        """;
    assertThatThrownBy(() -> TopologyLoader.parse(yaml, "t.yaml"))
        .hasMessageContaining(
            "networks.public.cidr: '192.168.1.0/24' is out of range: lab networks must lie inside"
                + " 198.18.0.0/15");
  }

  @Test
  void databaseTopologyMustPlaceEveryDbHost() {
    String yaml =
        """
        lab: lab1
        domain: foobar.com
        networks: { public: { cidr: 198.18.0.0/24 } }
        hosts:
          web1: { roles: [web, app, db], networks: { public: 198.18.0.21 } }
          web2: { roles: [web, app, db], networks: { public: 198.18.0.22 } }
        """;
    assertThatThrownBy(() -> TopologyLoader.parse(yaml, "t.yaml"))
        .hasMessageContaining("missing field 'database': 2 hosts have role db (web1, web2)");
  }

  @Test
  void settingsLayerKeyByKey() {
    String yaml =
        """
        lab: lab1
        domain: foobar.com
        networks: { public: { cidr: 198.18.0.0/24 } }
        defaults: { app: { heap_mb: 256, pool_size: 8 } }
        roles: { app: { app: { heap_mb: 192 } } }
        hosts:
          web1: { roles: [web, app], networks: { public: 198.18.0.21 }, settings: { app: { port: 9090 } } }
        """;
    var app = TopologyLoader.parse(yaml, "t.yaml").host("web1").orElseThrow().settings().app();
    assertThat(List.of(app.port(), app.heapMb(), app.poolSize()))
        .as("host sets port, role sets heap, defaults set pool size")
        .containsExactly(9090, 192, 8);
  }
}
