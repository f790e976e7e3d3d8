package dev.webinfra.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.database.GaleraBootstrap.Decision;
import dev.webinfra.database.GaleraBootstrap.Position;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Galera full-cluster recovery scenarios: each member's recovered position, and the decision. */
class GaleraBootstrapTest {
  static final String U = "8f1c-uuid";

  static Position back(String m, long seqno) {
    return new Position(m, true, false, U, seqno);
  }

  static Position away(String m, long seqno) {
    return new Position(m, false, false, U, seqno);
  }

  @Test
  void theMostAdvancedMemberBootstrapsWhenAllAreBack() {
    assertThat(
            GaleraBootstrap.decide(List.of(back("web1", 120), back("web2", 110)), Optional.empty()))
        .isEqualTo(new Decision.Bootstrap("web1", ""));
  }

  @Test
  void aMemberThatIsBehindWaitsForTheMostAdvancedOne() {
    Decision d =
        GaleraBootstrap.decide(List.of(away("web1", 120), back("web2", 110)), Optional.empty());
    assertThat(d).isInstanceOf(Decision.Wait.class);
    Decision.Wait w = (Decision.Wait) d;
    assertThat(w.waitingFor()).containsExactly("web1");
    assertThat(w.message()).contains("web1").contains("db bootstrap HOST --force");
  }

  @Test
  void aMissingMemberWhosePositionIsUnknownMayBeAheadSoItIsWaitedFor() {
    // Power-cut last: its grastate.dat says seqno -1 and its host is not back to recover it.
    Decision d =
        GaleraBootstrap.decide(List.of(away("web1", -1), back("web2", 110)), Optional.empty());
    assertThat(d).isInstanceOf(Decision.Wait.class);
    assertThat(((Decision.Wait) d).waitingFor()).containsExactly("web1");
  }

  @Test
  void theMostAdvancedMemberBackFirstBootstrapsWithoutWaitingForOneBehind() {
    assertThat(
            GaleraBootstrap.decide(List.of(back("web1", 120), away("web2", 110)), Optional.empty()))
        .isEqualTo(new Decision.Bootstrap("web1", ""));
  }

  @Test
  void aSplitWithNoQuorumBootstrapsNothing() {
    Decision d =
        GaleraBootstrap.decide(
            List.of(
                new Position("web1", true, true, U, -1), new Position("web2", true, true, U, -1)),
            Optional.empty());
    assertThat(d).isInstanceOf(Decision.Wait.class);
    assertThat(((Decision.Wait) d).message()).contains("no quorum");
  }

  @Test
  void anOperatorCanForceABootstrapAndIsToldWhatItMayLose() {
    Decision d =
        GaleraBootstrap.decide(List.of(away("web1", 120), back("web2", 110)), Optional.of("web2"));
    assertThat(d).isInstanceOf(Decision.Bootstrap.class);
    Decision.Bootstrap b = (Decision.Bootstrap) d;
    assertThat(b.member()).isEqualTo("web2");
    assertThat(b.warning()).contains("may lose").contains("web1 " + U + ":120");
  }

  @Test
  void forcingTheMostAdvancedMemberWarnsOfNothing() {
    Decision d =
        GaleraBootstrap.decide(List.of(back("web1", 120), back("web2", 110)), Optional.of("web1"));
    assertThat(((Decision.Bootstrap) d).warning()).isEmpty();
  }

  @Test
  void forcingAHostThatIsNoMemberIsRefused() {
    assertThatThrownBy(() -> GaleraBootstrap.decide(List.of(back("web1", 1)), Optional.of("web3")))
        .hasMessageContaining("web3");
  }

  @Test
  void theMemberCutLastNeedNotWaitForOneTheArbitratorSawLeave() {
    // web2 cut first, web1 last: the arbitrator's last primary component was web1 and mon.
    assertThat(
            GaleraBootstrap.decide(
                List.of(back("web1", 120), away("web2", -1)),
                Optional.empty(),
                Optional.of(Set.of("web1", "mon"))))
        .isEqualTo(new Decision.Bootstrap("web1", ""));
  }

  @Test
  void aMemberInTheArbitratorsLastPrimaryComponentIsStillWaitedFor() {
    Decision d =
        GaleraBootstrap.decide(
            List.of(away("web1", -1), back("web2", 110)),
            Optional.empty(),
            Optional.of(Set.of("web1", "mon")));
    assertThat(d).isInstanceOf(Decision.Wait.class);
  }

  static final String GARBD_LOG =
      """
      2026-11-23 14:09:31.539  INFO: Read config:
      2026-11-23 14:12:47.365  INFO: New COMPONENT: primary = yes, bootstrap = no, my_idx = 2
      2026-11-23 14:12:47.366  INFO: STATE EXCHANGE: got state msg: 01ab from 0 (web1)
      2026-11-23 14:12:47.366  INFO: STATE EXCHANGE: got state msg: 01ab from 1 (web2)
      2026-11-23 14:12:47.366  INFO: STATE EXCHANGE: got state msg: 01ab from 2 (mon)
      2026-11-23 14:13:07.692  INFO: view(view_id(PRIM,76465f53-b74b,15) memb {
      2026-11-23 14:13:07.695  INFO: New COMPONENT: primary = yes, bootstrap = no, my_idx = 1
      2026-11-23 14:13:07.695  INFO: STATE EXCHANGE: got state msg: 01ab from 0 (web1)
      2026-11-23 14:13:07.695  INFO: STATE EXCHANGE: got state msg: 01ab from 1 (mon)
      2026-11-23 14:13:11.044  INFO: view(view_id(NON_PRIM,76465f53-b74b,15) memb {
      """;

  @Test
  void theArbitratorsLogNamesItsLastPrimaryComponent() {
    assertThat(GaleraPositions.lastPrimary(GARBD_LOG)).contains(Set.of("web1", "mon"));
  }

  @Test
  void anArbitratorRestartedSinceItsLastPrimaryComponentTellsNothing() {
    assertThat(
            GaleraPositions.lastPrimary(
                GARBD_LOG + "2026-11-23 14:20:00.000  INFO: Read config:\n"))
        .isEmpty();
  }
}
