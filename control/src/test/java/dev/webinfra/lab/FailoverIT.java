package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Automatic failover on secured-monitored, with real daemons: a power cut of the primary under a
 * steady write load; no acknowledged write may be missing from any server, the site takes writes
 * again, and the old primary returns as a fenced-then-rejoined read-only replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SecondStream
class FailoverIT {
  static final String LAB = "itfail";
  static final String MY_CNF = "/var/lib/webinfra/" + LAB + "/hosts/%s/etc/my.cnf";
  static LabFixture lab;

  @BeforeAll
  static void up() {
    LabFixture.assumeLabCanRun();
    lab = LabRanges.fixture(LAB);
    lab.down();
    lab.up();
  }

  @AfterAll
  static void down() {
    if (lab != null) {
      try {
        lab.down();
        assertThat(lab.leftovers()).as("nothing of the lab is left").isEmpty();
      } finally {
        lab.deleteFiles();
      }
    }
  }

  static String query(String host, String sql) {
    ExecResult r =
        lab.exec(host, "mariadb", "--defaults-file=" + MY_CNF.formatted(host), "-N", "-e", sql);
    assertThat(r.ok()).as(r.describe()).isTrue();
    return r.stdout().strip();
  }

  /** The writable server, or "" while there is none (during a failover). */
  static String primary() throws Exception {
    var p =
        new ObjectMapper()
            .readTree(CliRun.of("status", "--json", "--lab", LAB).out())
            .get("database")
            .get("primaries");
    return p.isEmpty() ? "" : p.get(0).asText();
  }

  @Test
  @Order(1)
  void everythingSecuredMonitoredDeclaresRunsAndPrometheusScrapesIt() {
    MonitoringChecks mon = new MonitoringChecks(lab);
    mon.everyTargetIsUp();
    mon.theFloatingIpHolderIsReported();
  }

  @Test
  @Order(2)
  void aPowerCutOfThePrimaryFailsOverWithoutLosingAnAcknowledgedWrite() throws Exception {
    RequestLoop loop =
        RequestLoop.posts(lab.driver(), "client", "https://www.foobar.com/entries", "cut", 150, 50);
    LabFixture.sleep(2000);

    lab.ok("stop", "web1");
    await("a replica promoted by the controller")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !primary().isEmpty() && !primary().equals("web1"));
    String now = primary();
    List<String> lines = loop.results();

    Set<String> acknowledged =
        lines.stream()
            .filter(l -> l.startsWith("code=201"))
            .map(l -> "cut-" + l.replaceAll(".*n=(\\d+).*", "$1"))
            .collect(Collectors.toSet());
    assertThat(acknowledged).as("writes were acknowledged").isNotEmpty();
    assertThat(lines.subList(lines.size() - 10, lines.size()))
        .as("the site takes writes again after the failover")
        .allMatch(l -> l.startsWith("code=201"));
    for (String server : List.of("web2", "web3")) {
      await("%s has every acknowledged write".formatted(server))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          Set.of(
                              query(
                                      server,
                                      "SELECT message FROM webinfra.entries WHERE message LIKE"
                                          + " 'cut-%'")
                                  .split("\n")))
                      .as("acknowledged writes on %s", server)
                      .containsAll(acknowledged));
    }

    lab.ok("start", "web1");
    await("the old primary rejoins as a replica of " + now)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(query("web1", "SELECT @@read_only")).isEqualTo("1");
              assertThat(lab.exec("web1", "nft", "list", "table", "inet", "webinfra_fence").ok())
                  .as("unfenced once it follows")
                  .isFalse();
            });
    Set<String> onOld =
        Set.of(
            query("web1", "SELECT message FROM webinfra.entries WHERE message LIKE 'cut-%'")
                .split("\n"));
    Set<String> onNew =
        Set.of(
            query(now, "SELECT message FROM webinfra.entries WHERE message LIKE 'cut-%'")
                .split("\n"));
    assertThat(onNew).as("the old primary kept no write the new primary lacks").containsAll(onOld);
    // The controller restarts after start and then notices the returned primary.
    await("the controller unfences the returned primary")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(CliRun.of("events", "--lab", LAB).out())
                    .contains("DeadPrimary")
                    .contains("failover done")
                    .contains("rejoined as a read-only replica"));
  }
}
