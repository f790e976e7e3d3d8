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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ha-cluster's two name servers on a real lab: both are scraped by the monitoring host, and under
 * load, a name server's dnsmasq killed and then the other name server power-cut fail no request,
 * while the client's own resolver (glibc, through its resolv.conf) keeps finding the site.
 */
@LabTest(DnsRedundancyIT.LAB)
@Order(2)
@SecondStream
class DnsRedundancyIT {
  static final String LAB = "itside";
  static final String SITE = "www.foobar.com";
  static LabFixture lab;

  static final String SCENARIO =
      """
      preset: ha-cluster
      load: {rate: 20, writes: 10, duration: 32s}
      faults:
        - {name: dns-kill, kind: kill, host: dns, daemon: dnsmasq, at: 4s, duration: 6s}
        - {name: dns2-power-cut, kind: power-cut, host: dns2, at: 14s, duration: 12s}
      """;

  /** One lookup by the client's resolver: when it started, how long it took, what it said. */
  record Lookup(Instant at, long millis, boolean ok, String out) {}

  @BeforeAll
  static void up(LabFixture fixture) {
    lab = fixture;
  }

  @Test
  void bothNameServersAnswerAndAreScrapedByTheMonitoringHost() {
    MonitoringChecks monitoring = new MonitoringChecks(lab);
    assertThat(monitoring.expectedTargets()).contains("node dns", "node dns2");
    monitoring.everyTargetIsUp();
    for (String[] server :
        new String[][] {{"dns", lab.ip("198.18.6.2")}, {"dns2", lab.ip("198.18.6.3")}}) {
      ExecResult r =
          lab.exec("client", "dig", "+short", "+time=1", "+tries=1", "@" + server[1], SITE);
      assertThat(r.stdout().strip())
          .as("%s answers: %s", server[0], r.describe())
          .isEqualTo(lab.ip("198.18.6.100"));
    }
    assertThat(lab.exec("web1", "cat", "/etc/resolv.conf").stdout())
        .as("a server's resolver lists both name servers, on private")
        .contains("nameserver " + lab.ip("198.18.7.2"), "nameserver " + lab.ip("198.18.7.3"));
  }

  @Test
  void oneNameServerKilledThenTheOtherPowerCutUnderLoadFailsNoRequest(@TempDir Path work)
      throws Exception {
    Files.writeString(work.resolve("dns.yaml"), SCENARIO);
    // A thread of its own, as LoadIT says: the host driver's output readers need the common pool.
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<CliRun> chaos =
        pool.submit(
            () -> CliRun.of("chaos", work.resolve("dns.yaml").toString(), "--json", "--lab", LAB));
    // Meanwhile the client's resolver looks the site up, as a browser opening it would.
    List<Lookup> lookups = new ArrayList<>();
    while (!chaos.isDone()) {
      Instant at = Instant.now();
      long t0 = System.nanoTime();
      ExecResult r = lab.exec("client", "getent", "ahostsv4", SITE);
      lookups.add(
          new Lookup(at, (System.nanoTime() - t0) / 1_000_000, r.ok(), r.stdout() + r.stderr()));
      LabFixture.sleep(200);
    }
    CliRun run = chaos.get();
    pool.shutdown();
    Files.writeString(Path.of("target/dns-it.json"), run.out());
    Files.writeString(Path.of("target/dns-it.err"), run.err());
    StringBuilder figures = new StringBuilder();
    for (Lookup l : lookups) {
      figures.append(l.at()).append(' ').append(l.millis()).append(" ms ").append(l.ok());
      figures.append('\n');
    }
    Files.writeString(Path.of("target/dns-it-lookups.txt"), figures);

    assertThat(run.exitCode()).as("chaos; stderr:%n%s", run.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(run.out());
    Instant start = Instant.parse(j.get("started_at").asText());
    JsonNode faults = j.get("faults");
    assertThat(faults.findValuesAsText("name")).containsExactly("dns-kill", "dns2-power-cut");
    for (JsonNode f : faults) {
      assertThat(f.has("error")).as("injected: %s", f).isFalse();
      assertThat(f.get("undo_errors")).as("undone cleanly: %s", f).isEmpty();
      Instant from = start.plusMillis((long) (f.get("at").asDouble() * 1000));
      Instant to = start.plusMillis((long) (f.get("undone_at").asDouble() * 1000));
      List<Lookup> during =
          lookups.stream().filter(l -> l.at().isAfter(from) && l.at().isBefore(to)).toList();
      assertThat(during).as("the client looked the site up during %s", f.get("name")).isNotEmpty();
      assertThat(during)
          .as("every lookup during %s found the site", f.get("name"))
          .allSatisfy(
              l -> {
                assertThat(l.ok()).as("lookup at %s: %s", l.at(), l.out()).isTrue();
                assertThat(l.out()).contains(lab.ip("198.18.6.100"));
              });
    }
    assertThat(lookups).allSatisfy(l -> assertThat(l.ok()).as("lookup at %s", l.at()).isTrue());
    // Then the visitor's view. (On a machine whose cores other work saturates, load's agent JVM can
    // miss its connect timeouts before any fault: the run's timeline in target/dns-it.json says.)
    for (JsonNode f : faults) {
      assertThat(f.get("failed_requests").asLong()).as("failed in %s", f).isZero();
    }
    JsonNode w = j.get("writes");
    assertThat(w.get("lost").asLong()).isZero();
    assertThat(j.get("failed").asLong())
        .as("failed requests: %s; why: %s", j.get("failures"), j.get("failure_reasons"))
        .isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        lab.exec(
                                "client",
                                "dig",
                                "+short",
                                "+time=1",
                                "@" + lab.ip("198.18.6.3"),
                                SITE)
                            .stdout())
                    .as("dns2 answers again after its power came back")
                    .contains(lab.ip("198.18.6.100")));
  }
}
