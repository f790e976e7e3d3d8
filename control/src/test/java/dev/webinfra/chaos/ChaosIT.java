package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import dev.webinfra.lab.LabFixture;
import dev.webinfra.lab.LabTest;
import dev.webinfra.load.Chromium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaos} on a real ha-cluster: a short scenario of four fault kinds gives its figures as
 * JSON and an HTML report with the faults shaded; and chaos killed by SIGTERM mid-fault leaves no
 * partition, qdisc, proxy or stopped host behind.
 */
@LabTest(ChaosIT.LAB)
@Order(4)
class ChaosIT {
  static final String LAB = "itpool";
  static final Path LAB_DIR = Path.of("/var/lib/webinfra", LAB);
  static LabFixture lab;
  @TempDir static Path work;
  static CliRun run;

  static final String SHORT =
      """
      preset: ha-cluster
      load: {rate: 40, writes: 10, duration: 30s}
      faults:
        - {name: lb-haproxy-kill, kind: kill, host: "@vip", daemon: haproxy, at: 2s, duration: 4s}
        - {name: lb-partition, kind: partition, between: [[lb1], [lb2]], at: 8s, duration: 4s}
        - {name: replica-latency, kind: latency, from: web3, to: web2, port: 3306, delay: 100ms, at: 15s, duration: 5s}
        - {name: web1-bandwidth, kind: bandwidth, host: web1, link: private, rate: 2mbit, at: 22s, duration: 3s}
      """;

  static final String LONG =
      """
      preset: ha-cluster
      load: {rate: 20, writes: 10, duration: 120s}
      faults:
        - {name: cut, kind: power-cut, host: web1, at: 1s, duration: 100s}
        - {name: split, kind: partition, between: [[lb1], [lb2]], at: 1s, duration: 100s}
        - {name: slow, kind: latency, from: web3, to: web2, port: 3306, delay: 100ms, at: 1s, duration: 100s}
        - {name: thin, kind: bandwidth, host: web2, link: private, rate: 2mbit, at: 1s, duration: 100s}
      """;

  @BeforeAll
  static void upAndRunTheShortScenario(LabFixture fixture) throws Exception {
    lab = fixture;
    Files.writeString(work.resolve("short.yaml"), SHORT);
    run =
        CliRun.of(
            "chaos",
            work.resolve("short.yaml").toString(),
            "--json",
            "--report",
            work.resolve("r.html").toString(),
            "--lab",
            LAB);
    Files.writeString(Path.of("target/chaos-it.json"), run.out());
    Files.writeString(Path.of("target/chaos-it.err"), run.err());
  }

  @Test
  void aShortScenarioReportsEachFaultsFiguresAsJson() throws Exception {
    assertThat(run.exitCode()).as("chaos; stderr:%n%s", run.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(run.out());
    assertThat(j.get("requests").asLong()).isEqualTo(1200);
    JsonNode faults = j.get("faults");
    assertThat(faults.findValuesAsText("name"))
        .containsExactly("lb-haproxy-kill", "lb-partition", "replica-latency", "web1-bandwidth");
    for (JsonNode f : faults) {
      assertThat(f.has("error")).as("injected: %s", f).isFalse();
      assertThat(f.get("undo_errors")).as("undone cleanly: %s", f).isEmpty();
      assertThat(f.get("at").asDouble())
          .as("injected on time: %s", f)
          .isBetween(f.get("scheduled_at").asDouble(), f.get("scheduled_at").asDouble() + 5);
      assertThat(f.get("undone_at").isNumber()).as("undone: %s", f).isTrue();
      assertThat(f.has("recovered_after_s")).isTrue();
      assertThat(f.get("failed_requests").asLong()).isNotNegative();
      assertThat(f.get("lost_writes").asLong()).as("lost in %s", f.get("name")).isZero();
    }
    assertThat(faults.get(0).get("done").asText()).startsWith("killed haproxy on lb");
    assertThat(faults.get(0).get("happened").toString())
        .as("the controller restarted haproxy, from the event log")
        .contains("DeadDaemon", "restarted lb");
    assertThat(faults.get(2).get("done").asText())
        .contains("proxy (pid", "-> " + lab.ip("198.18.7.22") + ":3306");
    long failed = 0;
    for (JsonNode f : faults) {
      failed += f.get("failed_requests").asLong();
    }
    assertThat(failed)
        .as("faults' failures are the run's, from the fault on")
        .isLessThanOrEqualTo(j.get("failed").asLong());
    JsonNode w = j.get("writes");
    assertThat(w.get("lost").asLong()).isZero();
    assertThat(w.get("unexpected").asLong()).isZero();
    assertThat(w.get("servers").get(2).get("missing_acknowledged").asLong())
        .as("the replica web3 caught up after its link was slowed and restored")
        .isZero();
    assertThat(lab.exec("web3", "nft", "list", "tables").stdout()).doesNotContain("webinfra_chaos");
    assertThat(LAB_DIR.resolve("chaos")).isEmptyDirectory();
  }

  @Test
  void theReportRendersInHeadlessChromiumWithAShadedRegionPerFault() throws Exception {
    Chromium.assumeInstalled();
    assertThat(run.exitCode()).as("chaos; stderr:%n%s", run.err()).isZero();
    String dom = Chromium.render(work.resolve("r.html"), work.resolve("r.png"));
    assertThat(dom).contains("data-rendered=\"timeline\"", "<svg");
    // ECharts draws each markArea's label as SVG text: one per fault region.
    assertThat(dom)
        .contains(
            ">lb-haproxy-kill<",
            ">lb-partition<",
            ">replica-latency<",
            ">web1-bandwidth<",
            "Fault: lb-partition");
  }

  /**
   * Starts chaos on the long scenario in a JVM of its own, and waits until its four faults are
   * active.
   */
  static Process startLongChaos(String log) throws Exception {
    Files.writeString(work.resolve("long.yaml"), LONG);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dwebinfra.home=" + System.getProperty("webinfra.home", ".."));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.webinfra.cli.Main"));
    cmd.addAll(List.of("chaos", work.resolve("long.yaml").toString(), "--lab", LAB));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File(log)).start();
    Path ledger = LAB_DIR.resolve("chaos");
    boolean allActive =
        dev.webinfra.wait.Poll.system()
            .within(
                Duration.ofSeconds(120),
                Duration.ofMillis(200),
                () ->
                    Files.isDirectory(ledger)
                        && ledger.toFile().list().length == 4
                        && Files.exists(ledger.resolve("03-bandwidth")));
    if (!allActive) {
      // A chaos left running would go on injecting into the next test's lab.
      p.destroyForcibly().waitFor();
    }
    assertThat(allActive).as("four faults active; log in %s", log).isTrue();
    assertThat(lab.exec("lb1", "nft", "list", "tables").stdout()).contains("webinfra_chaos");
    return p;
  }

  // The ledger names the proxy by its number; the lab's supervisor keeps its pid beside the other
  // daemons' in web3's run directory.
  static long proxyPid() throws Exception {
    String index =
        new Ledger(LAB_DIR.resolve("chaos"))
            .steps("02-latency").stream()
                .filter(u -> u.what().equals("proxy"))
                .map(Undo::arg)
                .findFirst()
                .orElseThrow();
    return Long.parseLong(
        java.nio.file.Files.readString(
                lab.driver().paths("web3").run().resolve("wi-chaos-proxy-" + index + ".pid"))
            .strip());
  }

  /** No table, qdisc, proxy, stop mark or ledger entry of chaos is left, and web1 is back. */
  static void nothingLeft(long proxy) {
    for (String h : List.of("lb1", "lb2", "web1", "web2", "web3")) {
      assertThat(lab.exec(h, "nft", "list", "tables").stdout())
          .as("nftables tables in %s", h)
          .doesNotContain("webinfra_chaos");
    }
    ExecResult qdisc = lab.exec("web2", "tc", "qdisc", "show", "dev", "private");
    assertThat(qdisc.stdout()).as("web2's qdiscs").doesNotContain("tbf");
    assertThat(ProcessHandle.of(proxy).map(ProcessHandle::isAlive).orElse(false))
        .as("the proxy, pid %d", proxy)
        .isFalse();
    assertThat(LAB_DIR.resolve("state/stopped/web1")).as("web1's stop mark").doesNotExist();
    assertThat(lab.driver().isUp("web1")).as("web1 powered back on").isTrue();
    assertThat(LAB_DIR.resolve("chaos").toFile().list())
        .as("faults still recorded active")
        .isEmpty();
  }

  @Test
  void chaosKilledMidFaultLeavesNoPartitionQdiscProxyOrStoppedHost() throws Exception {
    Process p = startLongChaos("target/chaos-it-killed.log");
    try {
      long proxy = proxyPid();
      assertThat(ProcessHandle.of(proxy).map(ProcessHandle::isAlive).orElse(false))
          .as("the proxy runs")
          .isTrue();

      p.destroy(); // SIGTERM, as kill or a service manager sends
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("chaos ends after undoing").isTrue();

      nothingLeft(proxy);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void faultsLeftByAChaosKilledWithSigkillAreUndoneByTheNextUp() throws Exception {
    Process p = startLongChaos("target/chaos-it-kill9.log");
    long proxy;
    try {
      proxy = proxyPid();
    } finally {
      p.destroyForcibly(); // SIGKILL: no hook runs, the faults stay
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lab.exec("lb2", "nft", "list", "tables").stdout())
        .as("a partition outlives a chaos killed with SIGKILL")
        .contains("webinfra_chaos");
    CliRun up = lab.up();
    assertThat(up.out())
        .contains("chaos: undoing fault 03-bandwidth, left active by an earlier run");
    nothingLeft(proxy);
  }
}
