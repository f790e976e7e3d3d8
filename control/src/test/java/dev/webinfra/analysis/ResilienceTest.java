package dev.webinfra.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Single points of failure as cut vertices of the flow graph, and quorum counted in hosts. */
class ResilienceTest {
  static Topology broken(String name) {
    return TopologyLoader.load(AnalyzerTest.BROKEN.resolve(name + ".yaml"));
  }

  static Topology preset(String name) {
    return TopologyLoader.load(AnalyzerTest.PRESETS.resolve(name + ".yaml"));
  }

  @Test
  void whereRolesAndTheGraphDisagreeTheGraphWins() {
    Topology t = broken("spof-graph-not-roles");
    assertThat(RoleSpofs.singleServer(t)).as("the role rule counts two servers").isEmpty();

    assertThat(Resilience.of(t).cutVertices()).as("cut vertices").containsExactly("dns", "web1");
    assertThat(Analyzer.analyze(t))
        .as("the graph's finding is reported")
        .anySatisfy(
            f -> {
              assertThat(f.id()).isEqualTo("SPOF_HOST");
              assertThat(f.hosts()).containsExactly("web1");
              assertThat(f.severity()).isEqualTo(Severity.HIGH);
            });
  }

  @Test
  void aLoadBalancerPairWithAFloatingIpAndTwoNameServersHaveNoCutVertex() {
    Resilience r = Resilience.of(preset("ha-cluster"));
    assertThat(r.broken(Set.of())).as("the site works with every host up").isEmpty();
    assertThat(r.cutVertices()).isEmpty();
    assertThat(r.broken(Set.of("dns"))).as("one name server down: still found").isEmpty();
    assertThat(r.broken(Set.of("dns", "dns2"))).as("both name servers down").isNotEmpty();
    assertThat(r.broken(Set.of("lb1", "web1"))).as("one of each pair down: still served").isEmpty();
    assertThat(r.broken(Set.of("web1", "web2")))
        .contains("the Galera cluster loses quorum and stops taking writes");
  }

  @Test
  void withoutAFloatingIpOnlyTheLoadBalancerInDnsIsCut() {
    // three-servers has one LB; its cut vertices are the LB, DNS and the one primary.
    assertThat(Resilience.of(preset("three-servers")).cutVertices())
        .containsExactly("dns", "lb1", "web1");
  }

  @Test
  void roleFindingsTheGraphDoesNotConfirmAreDropped() {
    Topology t = broken("spof-graph-not-roles");
    List<String> ids = AnalyzerTest.ids(RoleSpofs.of(t));
    assertThat(ids).containsExactly("SPOF_DNS");
  }

  @Test
  void anArbitratorOnAMembersHostAddsNoVote() {
    Topology t = broken("arbitrator-on-member-host");
    assertThat(Resilience.of(t).votes()).hasSize(3);
    assertThat(Resilience.quorum(t))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.id()).isEqualTo("SPLIT_BRAIN");
              assertThat(f.title()).contains("3 votes stand on 2 hosts");
              assertThat(f.why()).contains("the arbitrator runs on web1");
            });
  }

  @Test
  void aVoteThatCannotReachTheMembersIsNoVote() {
    for (String fixture : List.of("arbitrator-unreachable", "firewall-blocks-arbitrator")) {
      Topology t = broken(fixture);
      assertThat(Resilience.of(t).votes()).as(fixture).doesNotContainKey("garbd@arb").hasSize(2);
      assertThat(Resilience.quorum(t))
          .as(fixture)
          .singleElement()
          .satisfies(f -> assertThat(f.why()).contains("the arbitrator on arb cannot reach"));
    }
  }

  @Test
  void aRightlyPlacedArbitratorMakesThreeVotesOnThreeHosts() {
    Topology t = preset("ha-cluster");
    assertThat(Set.copyOf(Resilience.of(t).votes().values())).hasSize(3);
    assertThat(Resilience.quorum(t)).isEmpty();
  }
}
