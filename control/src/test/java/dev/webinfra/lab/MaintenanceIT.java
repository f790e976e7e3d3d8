package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Maintenance on the ha-cluster preset under load: reloads, rolling deploys and scaling must not
 * fail a single request, counted by wrk (keep-alive connections) and a curl loop (a new connection
 * per request) from the client host.
 */
@LabTest(MaintenanceIT.LAB)
@org.junit.jupiter.api.Order(7)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintenanceIT {
  static final String LAB = "itpool";
  static final String SITE = "https://www.foobar.com/";
  static LabFixture lab;
  // The deploy tests' jars: removed with the class, not left in /tmp.
  @org.junit.jupiter.api.io.TempDir static java.nio.file.Path work;

  @BeforeAll
  static void up(LabFixture fixture) {
    lab = fixture;
  }

  static JsonNode status() throws Exception {
    return new ObjectMapper().readTree(CliRun.of("status", "--json", "--lab", LAB).out());
  }

  /**
   * The longest a load runs: wrk and the curl loop stop by themselves then, if the action has not
   * ended. No action here takes a minute on a quiet machine.
   */
  static final int MAX_LOAD_SECONDS = 300;

  /**
   * Runs {@code action} while wrk and a curl loop load the site, from a second before it starts to
   * a few seconds after it ended; returns the failures seen. The load lasts as long as the action
   * (a fixed window either ended before the action, or made the curl loop, whose requests take
   * longer than the gap between them, run minutes after it).
   */
  static List<String> underLoad(Runnable action) {
    Wrk wrk = Wrk.start(lab.driver(), "client", SITE, 8, 20, MAX_LOAD_SECONDS);
    RequestLoop curl = RequestLoop.gets(lab.driver(), "client", SITE, MAX_LOAD_SECONDS * 10, 100);
    try {
      LabFixture.sleep(1000);
      action.run();
      // Requests sent while the action ended are answered in this tail, and counted.
      LabFixture.sleep(5000);
    } finally {
      wrk.stop();
      curl.stop();
    }
    Wrk.Result w = wrk.result();
    List<String> lines = curl.results();
    assertThat(w.requests()).as("wrk requests; its report:%n%s", w.output()).isPositive();
    List<String> failed =
        new java.util.ArrayList<>(lines.stream().filter(l -> !l.contains("code=200")).toList());
    if (w.failed() > 0) {
      failed.add("wrk: " + w.failed() + " failed of " + w.requests() + "\n" + w.output());
    }
    return failed;
  }

  @Test
  @Order(1)
  void fiveReloadsInARowFailNoRequestAndKeepTheFloatingIpWhereItWas() throws Exception {
    String holder = status().get("vip").get("holder").asText();
    int reloadsBefore = haproxyReloads();

    List<String> failed =
        underLoad(
            () -> {
              for (int i = 0; i < 5; i++) {
                CliRun r = lab.ok("reload");
                assertThat(r.out())
                    .contains(
                        "lb1/haproxy: reloading",
                        "web1/nginx: reloading",
                        "lb1/keepalived: unchanged, not reloaded");
              }
            });

    assertThat(failed).as("failed requests during 5 reloads").isEmpty();
    assertThat(status().get("vip").get("holder").asText()).as("VIP holder").isEqualTo(holder);
    // Each reload replaced the worker: the master counts them.
    assertThat(haproxyReloads()).as("lb1's haproxy reloads").isEqualTo(reloadsBefore + 5);
  }

  /** How many times lb1's haproxy master has reloaded its worker, as it says. */
  static int haproxyReloads() {
    String proc =
        lab.exec(
                "lb1",
                "sh",
                "-c",
                "echo 'show proc' | socat - unix-connect:/var/lib/webinfra/"
                    + LAB
                    + "/hosts/lb1/run/haproxy-master.sock")
            .stdout();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("master\\s+(\\d+) ").matcher(proc);
    assertThat(m.find()).as("the master's line in: %s", proc).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  @Order(2)
  void aReloadOfAConfigHaproxyRejectsFailsAndLeavesTheWorkerServing() {
    String cfg = "/var/lib/webinfra/" + LAB + "/hosts/lb2/etc/haproxy.cfg";
    String script = "/var/lib/webinfra/" + LAB + "/hosts/lb2/etc/haproxy-reload.sh";
    String good = lab.exec("lb2", "cat", cfg).stdout();
    try {
      lab.exec("lb2", "sh", "-c", "echo 'bogus-keyword yes' >> " + cfg);
      var r = lab.exec("lb2", "sh", script);
      assertThat(r.ok()).as("reload of a broken config").isFalse();
      assertThat(r.stderr()).contains("does not pass haproxy -c");
    } finally {
      lab.driver().writeFile("lb2", java.nio.file.Path.of(cfg), good, "rw-r--r--", null);
    }
    assertThat(lab.exec("lb2", "sh", script).ok()).isTrue();
  }

  /** The version the app on {@code host} reports, asked directly (not through an LB). */
  static String versionOn(String host) {
    String headers =
        lab.exec(host, "curl", "-s", "-D", "-", "-o", "/dev/null", "http://127.0.0.1:8080/health")
            .stdout();
    return headers
        .lines()
        .filter(l -> l.toLowerCase().startsWith("x-app-version:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElse("none");
  }

  @Test
  @Order(3)
  void aDeployOfANewJarReplacesEveryAppProcessWithoutAFailedRequest() throws Exception {
    java.nio.file.Path jar = Artifacts.withVersion(LabFixture.appJar(), "9.9-it", work);
    java.util.Map<String, String> pids = new java.util.HashMap<>();
    for (String h : List.of("web1", "web2", "web3")) {
      pids.put(
          h,
          lab.exec(h, "cat", "/var/lib/webinfra/" + LAB + "/hosts/" + h + "/run/wi-app.pid")
              .stdout()
              .strip());
    }
    CliRun[] run = {null};

    List<String> failed = underLoad(() -> run[0] = lab.ok("deploy", jar.toString()));

    assertThat(failed).as("failed requests during the deploy").isEmpty();
    assertThat(run[0].out()).contains("web1: draining", "web3: new version healthy");
    for (String h : List.of("web1", "web2", "web3")) {
      assertThat(versionOn(h)).as("version on %s", h).isEqualTo("9.9-it");
      assertThat(
              lab.exec(h, "cat", "/var/lib/webinfra/" + LAB + "/hosts/" + h + "/run/wi-app.pid")
                  .stdout()
                  .strip())
          .as("app pid on %s", h)
          .isNotEqualTo(pids.get(h));
    }
    assertThat(CliRun.of("events", "--lab", LAB).out()).contains("DeployDrain", "DeployReady");
  }

  @Test
  @Order(4)
  void aJarWhoseHealthFailsStopsAtTheFirstServerAndPutsTheOldVersionBack() {
    java.nio.file.Path bad = Artifacts.unhealthy(work);
    CliRun[] run = {null};

    List<String> failed =
        underLoad(
            () ->
                run[0] =
                    CliRun.of("deploy", bad.toString(), "--health-timeout", "6s", "--lab", LAB));

    assertThat(failed).as("failed requests during the bad deploy").isEmpty();
    assertThat(run[0].exitCode()).as("exit code; %s", run[0].err()).isNotZero();
    assertThat(run[0].err())
        .contains("host web1: the new version failed its health check")
        .contains("the old version is back in rotation on web1");
    assertThat(run[0].out()).doesNotContain("web2: draining");
    assertThat(versionOn("web1")).isEqualTo("9.9-it");
  }

  @Test
  @Order(5)
  void aRollbackPutsTheJarBeforeTheLastDeployBackOnce() throws Exception {
    String build;
    try (var jar = new java.util.jar.JarFile(LabFixture.appJar().toFile())) {
      build = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }

    lab.ok("deploy", "--rollback");

    for (String h : List.of("web1", "web2", "web3")) {
      assertThat(versionOn(h)).as("version on %s after the rollback", h).isEqualTo(build);
    }
    CliRun again = CliRun.of("deploy", "--rollback", "--lab", LAB);
    assertThat(again.exitCode()).as("a second rollback: %s", again.err()).isEqualTo(2);
    assertThat(again.err()).contains("has no jar deployed before the current one");
  }

  @Test
  @Order(6)
  void scalingOutAndBackInFailsNoRequestAndLeavesNothingOfWeb4() throws Exception {
    List<String> failed =
        underLoad(
            () -> {
              CliRun out = lab.ok("scale", "web=4");
              assertThat(out.out()).contains("web4/mariadb: replicating from", "web4 serving");
              List<String> served = RequestLoop.gets(lab.driver(), "client", SITE, 12, 0).results();
              assertThat(HaClusterIT.servedBy(served)).as("served by").contains("web4");
              assertThat(CliRun.of("up", lab.topologyFile().toString()).out())
                  .as("up keeps the scaled server")
                  .contains("scaled to web=4 by webinfra scale; kept: web4")
                  .doesNotContain("web4/mariadb: starting");
              java.nio.file.Path dot = lab.topologyFile().resolveSibling("scaled.dot");
              assertThat(CliRun.of("diagram", "--lab", LAB, "-o", dot.toString()).exitCode())
                  .isZero();
              try {
                assertThat(java.nio.file.Files.readString(dot))
                    .as("diagram --lab")
                    .contains("web4");
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              assertThat(CliRun.of("check", "--lab", LAB).out())
                  .as("check --lab reads the running lab")
                  .contains("design check of /var/lib/webinfra/" + LAB + "/topology.yaml");
              lab.ok("scale", "web=3");
            });

    assertThat(failed).as("failed requests while scaling out and in").isEmpty();
    assertThat(
            lab.exec(
                    "lb1",
                    "sh",
                    "-c",
                    "echo 'show stat' | socat - unix-connect:/var/lib/webinfra/"
                        + LAB
                        + "/hosts/lb1/run/haproxy.sock")
                .stdout())
        .doesNotContain("web4");
    assertThat(status().get("hosts").toString()).doesNotContain("web4");
    assertThat(
            lab.exec(
                    "web1",
                    "mariadb",
                    "--defaults-file=/var/lib/webinfra/" + LAB + "/hosts/web1/etc/my.cnf",
                    "-N",
                    "-e",
                    "SELECT COUNT(*) FROM mysql.user WHERE host = '" + lab.ip("198.18.7.24") + "'")
                .stdout()
                .strip())
        .as("accounts for web4's address")
        .isEqualTo("0");
    assertThat(new ProcessBuilder("ip", "netns", "list").start().inputReader().lines().toList())
        .noneMatch(l -> l.startsWith(LAB + "-web4"));
  }
}
