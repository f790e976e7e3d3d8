package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three-servers preset for real: one HAProxy, a semi-sync primary and two replicas, and
 * promotion.
 */
@LabTest("itthree")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SecondStream
class ThreeServersIT {
  static final String MY_CNF = "/var/lib/webinfra/itthree/hosts/%s/etc/my.cnf";
  static LabFixture lab;

  @BeforeAll
  static void up(LabFixture fixture) {
    lab = fixture;
  }

  static String query(String host, String sql) {
    ExecResult r =
        lab.exec(host, "mariadb", "--defaults-file=" + MY_CNF.formatted(host), "-N", "-e", sql);
    assertThat(r.ok()).as(r.describe()).isTrue();
    return r.stdout().strip();
  }

  @Test
  @Order(1)
  void theLoadBalancerSpreadsRequestsOverAllThreeServers() {
    List<String> lines =
        RequestLoop.gets(lab.driver(), "client", "http://www.foobar.com/", 9, 0).results();

    assertThat(lines).allMatch(l -> l.contains("code=200"));
    assertThat(
            lines.stream()
                .map(l -> l.replaceAll("(?i).*x-served-by: *(\\S+).*", "$1"))
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("web1", "web2", "web3");
  }

  @Test
  @Order(2)
  void aWriteIsOnEveryDatabaseHostWithinOneSecondAndReplicasRefuseDirectWrites() throws Exception {
    String marker = "three-" + System.nanoTime();
    assertThat(
            lab.exec(
                    "client",
                    "curl",
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-H",
                    "Content-Type: application/json",
                    "-d",
                    "{\"author\":\"it\",\"message\":\"" + marker + "\"}",
                    "http://www.foobar.com/entries")
                .stdout())
        .isEqualTo("201");
    for (String db : List.of("web1", "web2", "web3")) {
      await()
          .atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(
              () ->
                  assertThat(
                          query(
                              db,
                              "SELECT COUNT(*) FROM webinfra.entries WHERE message = '"
                                  + marker
                                  + "'"))
                      .as("on %s", db)
                      .isEqualTo("1"));
    }
    assertThat(query("web1", "SHOW STATUS LIKE 'Rpl_semi_sync_master_status'")).endsWith("ON");
    assertThat(query("web1", "SELECT @@rpl_semi_sync_master_wait_point")).isEqualTo("AFTER_SYNC");

    String password =
        Files.readString(Path.of("/var/lib/webinfra/itthree/secrets/db-app.password")).strip();
    ExecResult direct =
        lab.exec(
            "web2",
            "mariadb",
            "-h",
            "198.19.31.22",
            "-u",
            "webinfra_app",
            "-p" + password,
            "-e",
            "INSERT INTO webinfra.entries (author, message, served_by) VALUES ('x', 'direct',"
                + " 'web2')");
    assertThat(direct.ok()).as("a replica refuses a direct write").isFalse();
    assertThat(direct.stderr()).contains("--read-only");
    assertThat(query("web1", "SHOW GRANTS FOR 'repl'@'198.19.31.22'"))
        .contains("GRANT REPLICATION SLAVE ON *.*")
        .doesNotContain("SELECT")
        .doesNotContain("ALL PRIVILEGES");
  }

  @Test
  @Order(3)
  void promotionUnderAWriteLoopLosesNoAcknowledgedWriteAndWritesGoOn() throws Exception {
    RequestLoop loop =
        RequestLoop.posts(lab.driver(), "client", "http://www.foobar.com/entries", "promo", 80, 50);
    LabFixture.sleep(1500);

    lab.ok("db", "promote", "web2");
    List<String> lines = loop.results();

    Set<String> acknowledged =
        lines.stream()
            .filter(l -> l.startsWith("code=201"))
            .map(l -> "promo-" + l.replaceAll(".*n=(\\d+).*", "$1"))
            .collect(Collectors.toSet());
    Set<String> stored =
        Set.of(
            query("web2", "SELECT message FROM webinfra.entries WHERE message LIKE 'promo-%'")
                .split("\n"));
    assertThat(stored)
        .as("every acknowledged write is on the new primary")
        .containsAll(acknowledged);
    assertThat(lines.subList(lines.size() - 10, lines.size()))
        .as("the app keeps writing after the promotion")
        .allMatch(l -> l.startsWith("code=201"));

    JsonNode db =
        new ObjectMapper()
            .readTree(CliRun.of("status", "--json", "--lab", "itthree").out())
            .get("database");
    assertThat(db.get("primaries").toString()).isEqualTo("[\"web2\"]");
    assertThat(db.get("replicas").findValuesAsText("host"))
        .containsExactlyInAnyOrder("web1", "web3");
    assertThat(query("web1", "SELECT @@read_only")).as("the old primary is fenced").isEqualTo("1");
  }

  @Test
  @Order(4)
  void promotingAHostThatIsNotAReplicaIsRefusedWithTheReason() {
    CliRun r = CliRun.of("db", "promote", "--lab", "itthree", "lb1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("host lb1 is not a replica");
  }

  @Test
  @Order(5)
  void aReturningOldPrimaryTakesNoWrites() {
    lab.ok("stop", "web1");
    lab.ok("start", "web1");

    assertThat(query("web1", "SELECT @@read_only")).isEqualTo("1");
    ExecResult slave =
        lab.exec(
            "web1",
            "mariadb",
            "--defaults-file=" + MY_CNF.formatted("web1"),
            "-e",
            "SHOW SLAVE STATUS\\G");
    assertThat(slave.stdout())
        .contains("Master_Host: 198.19.31.22")
        .contains("Slave_SQL_Running: Yes");
  }

  @Test
  @Order(100)
  void downLeavesNothing() {
    assertThat(lab.down().exitCode()).isZero();
    assertThat(lab.leftovers()).isEmpty();
  }
}
