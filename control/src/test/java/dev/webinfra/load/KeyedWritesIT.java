package dev.webinfra.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import dev.webinfra.lab.LabFixture;
import dev.webinfra.lab.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that are safe to retry, on a real ha-cluster (one lab for every check): a keyed write sent
 * twice is stored once and answered twice alike; a bad key is refused; and under {@code chaos} load
 * with writes, a Galera member's death gives visitors no 5xx and a power cut of web1 fails no
 * request, and no write is lost or stored twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@LabTest(KeyedWritesIT.LAB)
@Order(6)
class KeyedWritesIT {
  static final String LAB = "itpool";
  static final String MY_CNF = "--defaults-file=/var/lib/webinfra/" + LAB + "/hosts/%s/etc/my.cnf";
  static LabFixture lab;
  @TempDir static Path work;

  @BeforeAll
  static void up(LabFixture fixture) throws Exception {
    lab = fixture;
  }

  static String sql(String host, String query) {
    ExecResult r = lab.exec(host, "mariadb", MY_CNF.formatted(host), "-N", "-B", "-e", query);
    assertThat(r.ok()).as("%s on %s: %s", query, host, r.describe()).isTrue();
    return r.stdout().strip();
  }

  // curl from the client, through DNS, the floating IP and HAProxy: the status, then the body.
  static String[] post(String key, String body) {
    return lab.postEntry(key, body);
  }

  @Test
  @Order(1)
  void aKeyedWriteSentTwiceIsStoredOnceAndAnsweredAlike() {
    String body = "{\"author\":\"k17\",\"message\":\"sent twice\"}";
    String[] first = post("k17-twice-1", body);
    String[] second = post("k17-twice-1", body);
    assertThat(first[0]).as("first answer: %s", first[1]).isEqualTo("201");
    assertThat(second[0]).as("the repeat's status").isEqualTo("201");
    assertThat(second[1]).as("the repeat's body is the first's").isEqualTo(first[1]);
    assertThat(sql("web2", "SELECT COUNT(*) FROM webinfra.entries WHERE message = 'sent twice'"))
        .as("rows")
        .isEqualTo("1");

    String[] bad = post("not a key!", "{\"author\":\"k17\",\"message\":\"bad key\"}");
    assertThat(bad[0]).as("a malformed key").isEqualTo("400");
    assertThat(bad[1]).contains("Idempotency-Key is malformed");
    String[] tooLong = post("k".repeat(65), "{\"author\":\"k17\",\"message\":\"bad key\"}");
    assertThat(tooLong[0]).as("a key too long").isEqualTo("400");
    assertThat(tooLong[1]).contains("Idempotency-Key is too long: at most 64 characters, was 65");
    assertThat(sql("web2", "SELECT COUNT(*) FROM webinfra.entries WHERE message = 'bad key'"))
        .as("nothing written for a bad key")
        .isEqualTo("0");
  }

  static JsonNode chaos(String name, String scenario) throws Exception {
    Path file = work.resolve(name + ".yaml");
    Files.writeString(file, scenario);
    CliRun run = CliRun.of("chaos", file.toString(), "--json", "--lab", LAB);
    Files.writeString(Path.of("target/keys-it-" + name + ".json"), run.out());
    Files.writeString(Path.of("target/keys-it-" + name + ".err"), run.err());
    assertThat(run.exitCode()).as("chaos %s; stderr:%n%s", name, run.err()).isIn(0, 1);
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  @Order(2)
  void aGaleraMembersDeathGivesVisitorsNo5xx() throws Exception {
    JsonNode j =
        chaos(
            "galera",
            """
            preset: ha-cluster
            load: {rate: 50, writes: 30, duration: 25s}
            faults:
              - {name: galera-member-kill, kind: kill, host: web2, daemon: mariadb, at: 5s, duration: 10s}
            """);
    JsonNode w = j.get("writes");
    if (j.get("failed").asLong() > 0) {
      lab.saveLogs("keyed-writes-galera");
    }
    assertThat(j.get("failures").get("5xx").asLong())
        .as("5xx answers; why: %s", j.get("failure_reasons"))
        .isZero();
    assertThat(w.get("lost").asLong()).as("lost: %s", w.get("lost_ids")).isZero();
    assertThat(w.get("duplicated").asLong()).as("dup: %s", w.get("duplicated_ids")).isZero();
    assertThat(j.get("failed").asLong())
        .as("failed requests: %s; why: %s", j.get("failures"), j.get("failure_reasons"))
        .isZero();
  }

  @Test
  @Order(3)
  void aPowerCutOfWeb1UnderKeyedWritesFailsNothingAndStoresEachWriteOnce() throws Exception {
    // web2's member is back and synced first: the cut must leave web2 with the data.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              // Its server may still be starting after the previous test's kill: not yet an error.
              ExecResult r =
                  lab.exec(
                      "web2",
                      "mariadb",
                      MY_CNF.formatted("web2"),
                      "-N",
                      "-B",
                      "-e",
                      "SHOW STATUS LIKE 'wsrep_local_state'");
              return r.ok() && r.stdout().strip().endsWith("\t4");
            });
    JsonNode j =
        chaos(
            "powercut",
            """
            preset: ha-cluster
            load: {rate: 50, writes: 30, duration: 25s}
            faults:
              - {name: web1-power-cut, kind: power-cut, host: web1, at: 8s, duration: 12s}
            """);
    JsonNode w = j.get("writes");
    if (j.get("failed").asLong() > 0) {
      lab.saveLogs("keyed-writes-powercut");
    }
    assertThat(w.get("attempted").asLong()).as("writes attempted").isGreaterThan(300);
    assertThat(w.get("lost").asLong()).as("lost: %s", w.get("lost_ids")).isZero();
    assertThat(w.get("duplicated").asLong()).as("dup: %s", w.get("duplicated_ids")).isZero();
    assertThat(w.get("unexpected").asLong()).isZero();
    assertThat(j.get("failed").asLong())
        .as("failed requests: %s; why: %s", j.get("failures"), j.get("failure_reasons"))
        .isZero();
  }
}
