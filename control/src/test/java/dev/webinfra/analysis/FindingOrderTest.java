package dev.webinfra.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Findings of one severity and id are ordered by their hosts joined with commas, as before. */
class FindingOrderTest {
  private static Finding of(List<String> hosts) {
    return new Finding("X", Severity.HIGH, hosts, "t", "w", "f");
  }

  @Test
  void hostsCompareAsTheirJoinedText() {
    Random r = new Random(19);
    String alphabet = "ab-1,";
    List<List<String>> lists = new ArrayList<>();
    lists.add(List.of());
    lists.add(List.of(""));
    lists.add(List.of("", ""));
    for (int n = 0; n < 400; n++) {
      List<String> l = new ArrayList<>();
      for (int k = r.nextInt(4); k > 0; k--) {
        StringBuilder s = new StringBuilder();
        for (int c = r.nextInt(4); c > 0; c--) {
          s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        l.add(s.toString());
      }
      lists.add(l);
    }
    for (List<String> a : lists) {
      for (List<String> b : lists) {
        assertThat(Integer.signum(Analyzer.ORDER.compare(of(a), of(b))))
            .as("%s vs %s", a, b)
            .isEqualTo(Integer.signum(String.join(",", a).compareTo(String.join(",", b))));
      }
    }
  }
}
