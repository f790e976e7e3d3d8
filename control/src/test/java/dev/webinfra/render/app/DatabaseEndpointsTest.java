package dev.webinfra.render.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which Galera states the app's connections accept: a rejoining member's donor with two members
 * (else no member would take a connection during the transfer), only Synced ones with more.
 */
class DatabaseEndpointsTest {
  @Test
  void twoMembersAcceptTheDonorOfTheOneRejoining() {
    assertThat(DatabaseEndpoints.allowedStates(2)).isEqualTo("4,2");
  }

  @Test
  void threeOrMoreMembersAcceptOnlySyncedOnes() {
    assertThat(DatabaseEndpoints.allowedStates(3)).isEqualTo("4");
    assertThat(DatabaseEndpoints.allowedStates(5)).isEqualTo("4");
  }
}
