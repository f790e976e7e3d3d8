package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Lists longer than any design needs are refused in one problem each, not one per item, and a file
 * with thousands of problems shows the first hundred and how many more there are: check's time,
 * memory and output stay bounded whatever it is given.
 */
class LongListsTest {
  private static final String HEAD =
      """
      lab: long
      domain: foobar.com
      networks: { public: { cidr: 198.18.6.0/24 } }
      """;

  private static TopologyLoader.Loaded check(String text) {
    return TopologyLoader.checkText(text, "long.yaml");
  }

  private static String repeat(String item, int n) {
    return String.join(", ", Collections.nCopies(n, item));
  }

  @Test
  void aHostWith100000RolesIsOneProblem() {
    TopologyLoader.Loaded l =
        check(
            HEAD
                + "hosts:\n  w: { roles: ["
                + repeat("web", 100_000)
                + "], networks: { public: 198.18.6.3 } }\n");
    assertThat(l.problems()).hasSize(1);
    assertThat(l.problems().get(0).toString())
        .contains("hosts.w.roles: a list of 100000 items; at most 8 roles exist");
  }

  @Test
  void moreThan64RulesOrMoreSourcesThanHostsAndNetworksAreRefused() {
    String rules =
        IntStream.range(1, 66)
            .mapToObj(p -> "{ port: " + p + " }")
            .collect(Collectors.joining(", "));
    TopologyLoader.Loaded l =
        check(
            HEAD
                + "defaults: { firewall: { enabled: true, rules: ["
                + rules
                + "] } }\nhosts:\n  w: { roles: [web], networks: { public: 198.18.6.3 } }\n");
    assertThat(l.problems()).hasSize(1);
    assertThat(l.problems().get(0).toString())
        .contains("defaults.firewall.rules: a list of 65 items; at most 64 firewall rules");

    l =
        check(
            HEAD
                + "defaults: { firewall: { enabled: true, rules: [{ port: 80, from: ["
                + repeat("public", 110)
                + "] }] } }\nhosts:\n  w: { roles: [web], networks: { public: 198.18.6.3 } }\n");
    assertThat(l.problems()).hasSize(1);
    assertThat(l.problems().get(0).toString())
        .contains("rules[0].from: a list of 110 items; at most 109 sources");
  }

  @Test
  void theMostRulesAndSourcesAreAccepted() {
    String rules =
        IntStream.range(1, 65)
            .mapToObj(p -> "{ port: " + p + ", from: [" + repeat("public", 109) + "] }")
            .collect(Collectors.joining(", "));
    TopologyLoader.Loaded l =
        check(
            HEAD
                + "defaults: { firewall: { enabled: true, rules: ["
                + rules
                + "] } }\nhosts:\n  w: { roles: [web], networks: { public: 198.18.6.3 } }\n");
    assertThat(l.problems()).isEmpty();
  }

  @Test
  void moreThan100SiteNamesAreOneProblem() {
    String names = IntStream.range(0, 101).mapToObj(i -> "s" + i).collect(Collectors.joining(", "));
    TopologyLoader.Loaded l =
        check(
            HEAD
                + "site: { names: ["
                + names
                + "] }\nhosts:\n  w: { roles: [web], networks: { public: 198.18.6.3 } }\n");
    assertThat(l.problems()).hasSize(1);
    assertThat(l.problems().get(0).toString())
        .contains("site.names: a list of 101 items; at most 100 site names");
  }

  @Test
  void aGaleraOf100000MembersIsOneProblem() {
    TopologyLoader.Loaded l =
        check(
            HEAD
                + "hosts:\n  w: { roles: [web, app, db], networks: { public: 198.18.6.3 } }\n"
                + "database: { topology: galera, members: ["
                + repeat("w", 100_000)
                + "] }\n");
    assertThat(l.problems())
        .extracting(Problem::toString)
        .anyMatch(p -> p.contains("database.members: a list of 100000 items; at most 99 hosts"));
    assertThat(l.problems()).hasSizeLessThan(5);
  }

  @Test
  void thousandsOfProblemsShowTheFirstHundredAndCountTheRest() {
    String hosts =
        IntStream.range(0, 90)
            .mapToObj(
                i ->
                    "  h"
                        + i
                        + ": { roles: [web], networks: { public: 198.18.6.3, n"
                        + i
                        + ": 198.18.7.1, m"
                        + i
                        + ": 198.18.7.2 } }\n")
            .collect(Collectors.joining());
    TopologyLoader.Loaded l = check(HEAD + "hosts:\n" + hosts);
    assertThat(l.problems()).hasSize(Problems.MAX_KEPT);
    assertThat(l.notShown()).isPositive();
    assertThatThrownBy(l::orThrow)
        .isInstanceOf(WebinfraException.class)
        .hasMessageContaining("is invalid (" + (Problems.MAX_KEPT + l.notShown()) + " problems)")
        .hasMessageEndingWith(
            "... and " + l.notShown() + " more, not shown (fix these and check again)");
    WebinfraException e =
        org.junit.jupiter.api.Assertions.assertThrows(WebinfraException.class, l::orThrow);
    assertThat(e.getMessage().lines()).hasSize(Problems.MAX_KEPT + 2);
  }
}
