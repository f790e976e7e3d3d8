package dev.webinfra.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.render.Golden;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.render.keepalived.KeepalivedRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Settings;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The review rules (least privilege, feasibility, timing and consistency): each fixture is a preset
 * with one line changed and must produce its finding; the unchanged presets are the controls.
 */
class ReviewFindingsTest {
  static final Path REVIEW = Path.of("src/test/resources/topologies/review");
  static final Set<String> NEW_IDS =
      Set.of(
          "FIREWALL_RULE_TOO_WIDE",
          "DB_CONNECTIONS_EXCEEDED",
          "PRIVILEGED_PORT",
          "VRRP_PRIORITY_INVALID",
          "SLOW_FAILOVER",
          "ASYNC_PROMOTION",
          "STALE_READ_AFTER_WRITE");

  static Stream<Arguments> fixtures() {
    return Stream.of(
        Arguments.of("vrrp-open-to-network", "FIREWALL_RULE_TOO_WIDE", Severity.HIGH),
        Arguments.of("db-port-open-to-network", "FIREWALL_RULE_TOO_WIDE", Severity.HIGH),
        Arguments.of("pools-exceed-max-connections", "DB_CONNECTIONS_EXCEEDED", Severity.HIGH),
        Arguments.of("app-on-privileged-port", "PRIVILEGED_PORT", Severity.HIGH),
        Arguments.of("sixteen-load-balancers", "VRRP_PRIORITY_INVALID", Severity.MEDIUM),
        Arguments.of("slow-health-checks", "SLOW_FAILOVER", Severity.HIGH),
        Arguments.of("async-replicas-promoted", "ASYNC_PROMOTION", Severity.HIGH),
        Arguments.of("galera-reads-not-causal", "STALE_READ_AFTER_WRITE", Severity.MEDIUM));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachFixtureIsCaughtByName(String fixture, String id, Severity severity) {
    Topology t = TopologyLoader.load(REVIEW.resolve(fixture + ".yaml"));
    List<Finding> findings = Analyzer.analyze(t);

    assertThat(findings)
        .as("findings of %s", fixture)
        .anySatisfy(
            f -> {
              assertThat(f.id()).isEqualTo(id);
              assertThat(f.severity()).isEqualTo(severity);
              assertThat(f.hosts()).isNotEmpty();
            });
    Golden.assertMatches("check/review-" + fixture + "/findings.txt", Report.table(t, findings));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachFixtureAddsOnlyItsOwnReviewFinding(String fixture, String id, Severity severity) {
    List<String> before = reviewIds(preset(fixture));
    List<String> after = reviewIds(TopologyLoader.load(REVIEW.resolve(fixture + ".yaml")));

    assertThat(after.stream().filter(x -> !before.contains(x)).distinct().toList())
        .as("review findings %s gains over its preset", fixture)
        .containsExactly(id);
  }

  @Test
  void thePresetsGainNoReviewFinding() {
    // ha-cluster gained a real STALE_READ_AFTER_WRITE when the rule came; its Galera reads are
    // causal since (database.causal_reads, on by default).
    for (String preset :
        List.of("single-server", "three-servers", "secured-monitored", "ha-cluster")) {
      assertThat(reviewIds(load(preset))).as("review findings of %s", preset).isEmpty();
    }
  }

  @Test
  void theDerivedFirewallRulesAreNeverTooWide() {
    for (String preset : List.of("secured-monitored", "ha-cluster")) {
      assertThat(LeastPrivilege.wideRules(load(preset))).as(preset).isEmpty();
    }
  }

  @Test
  void theTimesFollowTheRenderedSettings() {
    Settings.Lb lb = load("ha-cluster").hostsWith(Role.LB).get(0).settings().lb();
    // inter 500 + 2 checks × min(connect 500, inter) + 1 × fastinter 250
    assertThat(Timing.serverRemovalMs(lb)).isEqualTo(1750);
    assertThat(Timing.retryWindowMs())
        .isEqualTo((long) HaproxyRenderer.RETRIES * HaproxyRenderer.CONNECT_TIMEOUT_MS);
    assertThat(Timing.serverRemovalMs(new Settings.Lb(true, 5000, 2, 2))).isEqualTo(8500);
    assertThat(Timing.serverRemovalMs(new Settings.Lb(true, 100, 1, 1)))
        .as("the connect timeout is capped at inter")
        .isEqualTo(200);
    // VRRP v3: 3 × 50 ms + (256 - 140) × 50 / 256 ms for lb2
    Topology ha = load("ha-cluster");
    Host lb2 = ha.host("lb2").orElseThrow();
    assertThat(KeepalivedRenderer.priority(ha, lb2)).isEqualTo(140);
    assertThat(Timing.masterDownMs(140)).isEqualTo(172);
    assertThat(Timing.vipAfterHaproxyMs(140)).isEqualTo(1022);
    assertThat(Timing.galeraEvictionMs()).isEqualTo(1600);
    assertThat(Timing.promotionMs()).isEqualTo(2050);
    assertThat(Timing.seconds(1750)).isEqualTo("1.75 s");
  }

  @Test
  void theDefaultTimesMeetTheTargets() {
    assertThat(Timing.failover(load("ha-cluster"))).isEmpty();
    assertThat(Timing.failover(load("secured-monitored"))).isEmpty();
  }

  private static Topology preset(String fixture) {
    return load(
        switch (fixture) {
          case "db-port-open-to-network", "async-replicas-promoted" -> "secured-monitored";
          default -> "ha-cluster";
        });
  }

  private static Topology load(String preset) {
    return TopologyLoader.load(AnalyzerTest.PRESETS.resolve(preset + ".yaml"));
  }

  private static List<String> reviewIds(Topology t) {
    return Analyzer.analyze(t).stream().map(Finding::id).filter(NEW_IDS::contains).toList();
  }
}
