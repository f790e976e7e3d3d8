package dev.webinfra.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestbedLayoutTest {
  @Test
  void aMachinesLinkKeepsItsAddressAcrossPowerCutsAndNoTwoLinksShareOne() {
    TestbedLayout layout = new TestbedLayout("ittb");
    assertThat(layout.mac(3, 1))
        .as("made again after a power cut")
        .isEqualTo(new TestbedLayout("ittb").mac(3, 1))
        .matches("02(:[0-9a-f]{2}){5}");
    Set<String> seen = new HashSet<>();
    for (int host = 0; host < 100; host++) {
      for (int net = 0; net < 10; net++) {
        assertThat(seen.add(layout.mac(host, net))).as("host %d, network %d", host, net).isTrue();
      }
    }
    assertThat(new TestbedLayout("tbs").mac(3, 1))
        .as("another test bed's")
        .isNotEqualTo(layout.mac(3, 1));
  }
}
