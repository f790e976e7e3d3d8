package dev.webinfra.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.render.Golden;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Scenario tests: each topology paired with the findings the design check must report for it. */
class AnalyzerTest {
  // Relative, as a user would type it: the report prints the path it was given.
  static final Path PRESETS = Path.of("..", "topologies");
  static final Path BROKEN = Path.of("src/test/resources/topologies/broken");

  static Stream<Arguments> presets() {
    return Stream.of(
        Arguments.of(
            "single-server",
            List.of(
                "SPOF_SERVER",
                "MAINTENANCE_DOWNTIME",
                "NO_HORIZONTAL_SCALING",
                "NO_FIREWALL",
                "NO_HTTPS",
                "NO_MONITORING")),
        Arguments.of(
            "three-servers",
            List.of(
                "SPOF_LOAD_BALANCER",
                "NO_AUTOMATIC_DB_FAILOVER",
                "NO_FIREWALL",
                "NO_HTTPS",
                "NO_MONITORING")),
        Arguments.of("secured-monitored", List.of("SPOF_LOAD_BALANCER")),
        Arguments.of("ha-cluster", List.of("SINGLE_MACHINE_LAB", "SINGLE_MONITORING_HOST")));
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.of("galera-no-arbitrator", "SPLIT_BRAIN"),
        Arguments.of("backup-no-health-checks", "BACKUP_WITHOUT_HEALTH_CHECKS"),
        Arguments.of("replica-not-promotable", "REPLICA_NOT_PROMOTABLE"),
        Arguments.of("firewall-blocks-replication", "FIREWALL_BLOCKS_FLOW"),
        Arguments.of("vip-single-lb", "VIP_SINGLE_HOLDER"),
        Arguments.of("tls-plaintext-shared-network", "PLAINTEXT_BEHIND_TLS"),
        Arguments.of("tls-plaintext-multi-network", "PLAINTEXT_BEHIND_TLS"),
        Arguments.of("lb-no-shared-network", "UNREACHABLE_FLOW"),
        Arguments.of("lb-misses-a-server", "UNREACHABLE_FLOW"),
        Arguments.of("vip-not-on-client-network", "UNREACHABLE_FLOW"),
        Arguments.of("site-not-bound-for-second-client", "UNREACHABLE_FLOW"),
        Arguments.of("db-listens-elsewhere", "UNREACHABLE_FLOW"),
        Arguments.of("arbitrator-unreachable", "UNREACHABLE_FLOW"),
        Arguments.of("firewall-blocks-arbitrator", "FIREWALL_BLOCKS_FLOW"),
        Arguments.of("firewall-blocks-health-checks-and-dns", "FIREWALL_BLOCKS_FLOW"),
        Arguments.of("firewall-blocks-vrrp-and-app-writes", "FIREWALL_BLOCKS_FLOW"),
        Arguments.of("arbitrator-on-member-host", "PORT_CONFLICT"),
        Arguments.of("port-used-twice-db", "PORT_CONFLICT"),
        Arguments.of("port-used-twice-lb-and-web", "PORT_CONFLICT"),
        Arguments.of("port-used-twice-exporter", "PORT_CONFLICT"),
        Arguments.of("primary-without-binlog", "SOURCE_WITHOUT_BINLOG"),
        Arguments.of("galera-source-without-binlog", "SOURCE_WITHOUT_BINLOG"),
        Arguments.of("all-servers-backup", "ALL_SERVERS_BACKUP"),
        Arguments.of("backup-without-load-balancer", "ALL_SERVERS_BACKUP"),
        Arguments.of("no-dns", "NO_DNS"),
        Arguments.of("secrets-on-client-network", "SECRETS_ON_CLIENT_NETWORK"),
        Arguments.of("operator-surface-on-client-network", "OPERATOR_SURFACE_ON_CLIENT_NETWORK"),
        Arguments.of("spof-graph-not-roles", "SPOF_HOST"),
        Arguments.of("arbitrator-on-member-host", "SPLIT_BRAIN"),
        Arguments.of("arbitrator-unreachable", "SPLIT_BRAIN"),
        Arguments.of("firewall-blocks-arbitrator", "SPLIT_BRAIN"));
  }

  static List<String> ids(List<Finding> findings) {
    return findings.stream().map(Finding::id).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void presetsGetTheFindingsTheirReferenceDocumentsList(String preset, List<String> expected) {
    Topology t = TopologyLoader.load(PRESETS.resolve(preset + ".yaml"));
    List<Finding> findings = Analyzer.analyze(t);

    assertThat(ids(findings)).as("finding ids of %s", preset).containsAll(expected);
    assertThat(findings)
        .as("every finding explains itself")
        .allSatisfy(
            f -> {
              assertThat(f.why()).isNotBlank();
              assertThat(f.fix()).isNotBlank();
            });
    Golden.assertMatches("check/" + preset + "/findings.txt", Report.table(t, findings));
    Golden.assertMatches("check/" + preset + "/findings.json", Report.json(t, findings));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void onlyHaClusterIsFreeOfHighFindings(String preset, List<String> expected) {
    List<Finding> high =
        Analyzer.analyze(TopologyLoader.load(PRESETS.resolve(preset + ".yaml"))).stream()
            .filter(f -> f.severity() == Severity.HIGH)
            .toList();
    if (preset.equals("ha-cluster")) {
      assertThat(high).as("high findings on ha-cluster").isEmpty();
    } else {
      assertThat(high).as("high findings on %s", preset).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("broken")
  void brokenTopologiesAreCaughtByName(String fixture, String expectedId) {
    Topology t = TopologyLoader.load(BROKEN.resolve(fixture + ".yaml"));
    List<Finding> findings = Analyzer.analyze(t);

    assertThat(findings)
        .as("findings of %s", fixture)
        .anySatisfy(
            f -> {
              assertThat(f.id()).isEqualTo(expectedId);
              assertThat(f.severity()).isEqualTo(Severity.HIGH);
              assertThat(f.hosts()).isNotEmpty();
            });
    Golden.assertMatches("check/" + fixture + "/findings.txt", Report.table(t, findings));
  }
}
