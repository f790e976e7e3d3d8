package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ITs' labs never share a /24: two labs up at once would otherwise clash on the machine. */
class LabRangesTest {
  @Test
  void noTwoLabsShareA24() {
    Map<Integer, String> owner = new HashMap<>();
    LabRanges.LABS
        .values()
        .forEach(
            l -> {
              int size = LabRanges.presetNets(l.preset()).size();
              assertThat(size).as("the /24s of %s", l.preset()).isPositive();
              for (int net = l.first(); net < l.first() + size; net++) {
                assertThat(net).as("lab %s's /24 198.19.%d.0", l.lab(), net).isBetween(0, 255);
                String before = owner.put(net, l.lab());
                assertThat(before)
                    .as("198.19.%d.0/24, given to lab %s and to lab %s", net, before, l.lab())
                    .isNull();
              }
            });
  }

  @Test
  void aLabOfTheTableIsItsPresetRenamedAndMoved() throws Exception {
    LabFixture f = LabRanges.fixture("itpool");
    String text;
    try {
      text = java.nio.file.Files.readString(f.topologyFile());
    } finally {
      f.deleteFiles();
    }
    assertThat(text)
        .contains("lab: itpool\n", "198.19.90.", "198.19.91.")
        .doesNotContain("198.18.")
        .doesNotContain("lab: ha\n");
  }
}
