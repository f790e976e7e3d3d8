package dev.webinfra.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.Reload;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planning rules for one daemon, each with the reason it gives. */
class DecideTest {
  static final Fingerprint F =
      new Fingerprint(List.of("nginx", "-c", "a"), Map.of("/e/nginx.conf", "1"));
  static final Fingerprint F2 =
      new Fingerprint(List.of("nginx", "-c", "a"), Map.of("/e/nginx.conf", "2"));
  static final Fingerprint F3 =
      new Fingerprint(List.of("nginx", "-c", "b"), Map.of("/e/nginx.conf", "1"));

  static Change decide(
      boolean stopped,
      boolean running,
      Optional<Fingerprint> rec,
      Fingerprint want,
      Reload.Kind r) {
    return Decide.daemon("web1", "nginx", stopped, running, rec, want, r);
  }

  @Test
  void aNewDaemonIsCreated() {
    assertThat(decide(false, false, Optional.empty(), F, Reload.Kind.SIGNAL).describe())
        .isEqualTo("nginx on web1: create (new)");
  }

  @Test
  void aDeadOneIsStarted() {
    assertThat(decide(false, false, Optional.of(F), F, Reload.Kind.SIGNAL).action())
        .isEqualTo(Change.Action.START);
  }

  @Test
  void anUnchangedOneIsKept() {
    Change c = decide(false, true, Optional.of(F), F, Reload.Kind.SIGNAL);
    assertThat(c.action()).isEqualTo(Change.Action.KEEP);
    assertThat(c.changes()).isFalse();
  }

  @Test
  void aConfigChangeReloadsWhenTheDaemonCan() {
    assertThat(decide(false, true, Optional.of(F), F2, Reload.Kind.SIGNAL).describe())
        .isEqualTo("nginx on web1: reload (nginx.conf changed)");
  }

  @Test
  void aConfigChangeRestartsWhenTheDaemonCannotReload() {
    assertThat(decide(false, true, Optional.of(F), F2, Reload.Kind.RESTART).action())
        .isEqualTo(Change.Action.RESTART);
  }

  @Test
  void aCommandLineChangeAlwaysRestarts() {
    Change c = decide(false, true, Optional.of(F), F3, Reload.Kind.SIGNAL);
    assertThat(c.action()).isEqualTo(Change.Action.RESTART);
    assertThat(c.reasons()).containsExactly("command line: a -> b");
  }

  @Test
  void aDaemonOfAStoppedHostIsLeftAlone() {
    Change c = decide(true, false, Optional.of(F), F3, Reload.Kind.SIGNAL);
    assertThat(c.describe()).isEqualTo("nginx on web1: keep (host web1 is stopped)");
  }

  @Test
  void aRunningDaemonWithoutARecordIsRestartedToKnowWhatItRuns() {
    assertThat(decide(false, true, Optional.empty(), F, Reload.Kind.SIGNAL).describe())
        .isEqualTo("nginx on web1: restart (no record of how it was started)");
  }

  @Test
  void aPlanPrintsItsActionsAndCountsTheRest() {
    Plan p =
        new Plan(
            "ha",
            List.of(
                decide(false, true, Optional.of(F), F, Reload.Kind.SIGNAL),
                decide(false, true, Optional.of(F), F3, Reload.Kind.SIGNAL)));
    assertThat(p.describe())
        .isEqualTo(
            "plan for lab ha: 1 change, 1 unchanged\n"
                + "  nginx on web1: restart (command line: a -> b)\n");
  }
}
