package dev.webinfra.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DpkgQueryTest {
  @Test
  void oneQueryAsksForEveryPackage() {
    assertThat(DpkgQuery.command(List.of("nginx", "haproxy")))
        .containsExactly("dpkg-query", "-W", "-f=${Package} ${Status}\n", "nginx", "haproxy");
  }

  @Test
  void onlyWhatDpkgShowsInstalledIsThere() {
    String out =
        """
        nginx install ok installed
        haproxy deinstall ok config-files
        curl install ok unpacked
        """;
    // wrk is unknown to dpkg: left out of the answer, so missing too.
    assertThat(DpkgQuery.missing(List.of("nginx", "haproxy", "curl", "wrk"), out))
        .containsExactly("haproxy", "curl", "wrk");
    assertThat(DpkgQuery.missing(List.of("nginx"), "")).containsExactly("nginx");
  }
}
