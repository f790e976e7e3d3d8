package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Galera full-cluster recovery on ha-cluster, with real daemons: under writes, web2 then web1 are
 * power-cut, so web1 holds writes web2 lacks. web2 back first must not bootstrap (it waits for
 * web1, with a message and an event); once web1 is back it bootstraps and web2 joins it, and no
 * acknowledged write is missing from either member.
 */
class GaleraRecoveryIT {
  static final String LAB = "itgal";
  static final String MY_CNF = "/var/lib/webinfra/" + LAB + "/hosts/%s/etc/my.cnf";
  static LabFixture lab;

  @BeforeAll
  static void up() {
    LabFixture.assumeLabCanRun();
    lab = LabFixture.of("ha-cluster.yaml", "ha", LAB, 6, 54, 7, 55);
    lab.down();
    lab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      lab.down();
      assertThat(lab.leftovers()).as("nothing of the lab is left").isEmpty();
    }
  }

  static ExecResult query(String host, String sql) {
    return lab.exec(host, "mariadb", "--defaults-file=" + MY_CNF.formatted(host), "-N", "-e", sql);
  }

  static Set<String> rows(String host) {
    ExecResult r = query(host, "SELECT message FROM webinfra.entries WHERE message LIKE 'gal-%'");
    assertThat(r.ok()).as(r.describe()).isTrue();
    return Set.of(r.stdout().strip().split("\n"));
  }

  @Test
  void theMostAdvancedMemberBootstrapsAndNoAcknowledgedWriteIsLost() {
    RequestLoop loop =
        RequestLoop.posts(lab.driver(), "client", "https://www.foobar.com/entries", "gal", 120, 50);
    LabFixture.sleep(2000);
    lab.ok("stop", "web2");
    // web1 alone (with garbd's vote) keeps taking writes that web2 never sees.
    LabFixture.sleep(2000);
    lab.ok("stop", "web1");
    List<String> lines = loop.results();
    Set<String> acknowledged =
        lines.stream()
            .filter(l -> l.startsWith("code=201"))
            .map(l -> "gal-" + l.replaceAll(".*n=(\\d+).*", "$1"))
            .collect(Collectors.toSet());
    assertThat(acknowledged).as("writes were acknowledged").isNotEmpty();

    // start itself fails (the app on web2 cannot become ready without its database): the message
    // is what counts.
    CliRun early = CliRun.of("start", "web2", "--lab", LAB);
    assertThat(early.out())
        .as("web2 is behind web1, whose position is unknown while its host is down")
        .contains("not bootstrapping the Galera cluster")
        .contains("waiting for web1");
    assertThat(query("web2", "SELECT 1").ok()).as("web2 started no cluster of its own").isFalse();
    assertThat(CliRun.of("events", "--lab", LAB).out()).contains("GaleraBootstrap");

    CliRun late = lab.ok("start", "web1");
    assertThat(late.out()).contains("web1/mariadb: bootstraps the cluster");
    for (String member : List.of("web1", "web2")) {
      await(member + " has every acknowledged write")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(rows(member)).containsAll(acknowledged));
    }
  }
}
