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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps that are not our guestbook, on the shared ha-cluster: the 000 design's own stack (the Flask
 * example under Debian's Gunicorn) serves through the floating IP, keeps every write through a
 * power cut, deploys and rolls back under load with no failed request, and refuses bad input; then
 * a minimal jar from the test sources comes up the same way. It goes last on the shared lab: it
 * changes the lab's app, and the lab goes down after it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@LabTest(AppsIT.LAB)
@Order(9)
class AppsIT {
  static final String LAB = "itpool";
  static final Path EXAMPLE =
      Path.of(System.getProperty("webinfra.home", ".."))
          .resolve("examples/flask-guestbook")
          .toAbsolutePath()
          .normalize();
  static LabFixture lab;
  @TempDir static Path work;
  static Path flask;

  @BeforeAll
  static void setUp(LabFixture fixture) throws Exception {
    lab = fixture;
    LabFixture.assumePackages(List.of("gunicorn", "python3-flask", "python3-mysqldb"));
    flask = work.resolve("flask.yaml");
    Files.writeString(flask, onThisLab(Files.readString(EXAMPLE.resolve("topology.yaml"))));
  }

  /** The example's topology moved onto the shared lab: its name, addresses and codebase. */
  static String onThisLab(String text) {
    return text.replace("lab: flask\n", "lab: " + LAB + "\n")
        .replace("198.18.8.", lab.ip("198.18.6."))
        .replace("198.18.9.", lab.ip("198.18.7."))
        // ha-cluster's: moving the lab to this app changes nothing of its load balancers.
        .replace("router_id: 52", "router_id: 51")
        .replace("dir: .\n", "dir: " + EXAMPLE + "\n");
  }

  /** GET through DNS, the floating IP and HAProxy from the client: the response's headers. */
  static String headers(String path) {
    ExecResult r =
        lab.exec(
            "client",
            "curl",
            "-s",
            "--max-time",
            "5",
            "-D",
            "-",
            "-o",
            "/dev/null",
            "https://www.foobar.com" + path);
    assertThat(r.ok()).as("GET %s: %s", path, r.describe()).isTrue();
    return r.stdout().toLowerCase(java.util.Locale.ROOT);
  }

  static String header(String headers, String name) {
    return headers
        .lines()
        .filter(l -> l.startsWith(name + ":"))
        .map(l -> l.substring(name.length() + 1).strip())
        .findFirst()
        .orElse("");
  }

  /** The app's version on each server, as webinfra status reads it from the app itself. */
  static List<String> versions() throws Exception {
    CliRun run = CliRun.of("status", "--json", "--lab", LAB);
    assertThat(run.exitCode()).as("status: %s", run.err()).isZero();
    List<String> out = new ArrayList<>();
    for (JsonNode h : new ObjectMapper().readTree(run.out()).path("hosts")) {
      for (JsonNode c : h.path("components")) {
        if (c.path("name").asText().equals("app")) {
          out.add(h.path("name").asText() + "=" + c.path("version").asText());
        }
      }
    }
    return out;
  }

  static String sql(String host, String query) {
    ExecResult r =
        lab.exec(
            host,
            "mariadb",
            "--defaults-file=" + lab.driver().paths(host).etc().resolve("my.cnf"),
            "-N",
            "-B",
            "-e",
            query);
    return r.ok() ? r.stdout().strip() : "error: " + r.describe();
  }

  @Test
  @Order(1)
  void theFlaskAppServesThroughTheFloatingIpRoundRobinWithWritesReplicatedToWeb3() {
    CliRun up = CliRun.of("up", flask.toString());
    assertThat(up.exitCode()).as("up:%n%s%n%s", up.out(), up.err()).isZero();
    assertThat(up.out()).as("the app tier changes").contains("app on web1: restart");
    assertThat(up.out()).as("the database stays").doesNotContain("mariadb on web1: restart");
    // up returns once the site answers; each server is back in rotation once its checks pass.
    lab.awaitSettled(Duration.ofMinutes(1));

    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      String h = headers("/");
      assertThat(h).startsWith("http/2 200");
      assertThat(header(h, "x-app-version")).as("the Flask app's VERSION").isEqualTo("1.0.0");
      servedBy.add(header(h, "x-app-host"));
    }
    assertThat(servedBy).as("round robin over the active servers").containsOnly("web1", "web2");

    String[] post =
        lab.postEntry(
            "apps-it-1", "{\"author\":\"apps-it\",\"message\":\"written through flask\"}");
    assertThat(post[0]).as("the write: %s", post[1]).isEqualTo("201");
    await("the write on web3's replica")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                sql(
                        "web3",
                        "SELECT COUNT(*) FROM webinfra.entries WHERE message = 'written through"
                            + " flask'")
                    .equals("1"));

    CliRun check = CliRun.of("check", flask.toString());
    assertThat(check.out()).as("check names the app's kind").contains("app: gunicorn");
  }

  @Test
  @Order(2)
  void aPowerCutOfWeb1UnderLoadLosesNoWrite() throws Exception {
    Path scenario = work.resolve("powercut.yaml");
    Files.writeString(
        scenario,
        """
        preset: ha-cluster
        load: {rate: 50, writes: 30, duration: 25s}
        faults:
          - {name: web1-power-cut, kind: power-cut, host: web1, at: 8s, duration: 12s}
        """);
    CliRun run = CliRun.of("chaos", scenario.toString(), "--json", "--lab", LAB);
    Files.writeString(Path.of("target/apps-it-powercut.json"), run.out());
    assertThat(run.exitCode()).as("chaos; stderr:%n%s", run.err()).isIn(0, 1);
    JsonNode j = new ObjectMapper().readTree(run.out());
    JsonNode w = j.get("writes");
    assertThat(w.get("attempted").asLong()).as("writes attempted").isGreaterThan(300);
    assertThat(w.get("lost").asLong()).as("lost: %s", w.get("lost_ids")).isZero();
    assertThat(w.get("duplicated").asLong()).as("dup: %s", w.get("duplicated_ids")).isZero();
    assertThat(w.get("unexpected").asLong()).as("unexpected rows").isZero();
  }

  @Test
  @Order(3)
  void aDeployUnderLoadFailsNoRequestAndSoDoesItsRollback() throws Exception {
    lab.awaitSettled(Duration.ofMinutes(2));
    Path v2 = work.resolve("flask-v2");
    copyTree(EXAMPLE, v2);
    Files.writeString(v2.resolve("VERSION"), "1.0.1\n");

    CompletableFuture<CliRun> load =
        CompletableFuture.supplyAsync(
            () -> CliRun.of("load", "--lab", LAB, "--duration", "40s", "--writes", "20", "--json"));
    LabFixture.sleep(3000);
    lab.ok("deploy", v2.toString());
    assertThat(versions()).containsExactly("web1=1.0.1", "web2=1.0.1", "web3=1.0.1");
    lab.ok("deploy", "--rollback");
    assertThat(versions()).containsExactly("web1=1.0.0", "web2=1.0.0", "web3=1.0.0");

    CliRun l = load.get();
    Files.writeString(Path.of("target/apps-it-deploy-load.json"), l.out());
    assertThat(l.exitCode()).as("load: %s", l.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(l.out());
    assertThat(j.get("failed").asLong())
        .as("failed requests: %s", j.get("failure_reasons"))
        .isZero();
    assertThat(j.get("writes").get("lost").asLong()).isZero();
  }

  @Test
  @Order(4)
  void badInputIsRefusedWithWhereAndTheOldVersionServesOn() throws Exception {
    CliRun missing = CliRun.of("deploy", "--lab", LAB, work.resolve("nowhere").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("deploy: no file or directory at").doesNotContain("\tat ");

    Path plain = work.resolve("notes.txt");
    Files.writeString(plain, "not a codebase");
    CliRun notCode = CliRun.of("deploy", "--lab", LAB, plain.toString());
    assertThat(notCode.exitCode()).isEqualTo(2);
    assertThat(notCode.err()).contains("is neither a codebase directory nor a tarball");

    Path noProgram = work.resolve("no-program.yaml");
    Files.writeString(
        noProgram,
        Files.readString(flask)
            .replace("command: [gunicorn,", "command: [gunicorn-not-installed,"));
    CliRun up = CliRun.of("up", noProgram.toString());
    assertThat(up.exitCode()).as("up: %s", up.err()).isEqualTo(2);
    assertThat(up.err())
        .containsPattern("no-program\\.yaml:\\d+:\\d+: app\\.command: host web1 has no program")
        .contains("'gunicorn-not-installed'");
    assertThat(up.out()).as("refused before the plan").doesNotContain("plan for lab");

    // A version whose health path never answers: the deploy puts the old one back and says why.
    Path broken = work.resolve("flask-broken");
    copyTree(EXAMPLE, broken);
    Files.writeString(broken.resolve("app.py"), "raise SystemExit('this version cannot start')\n");
    CliRun deploy = CliRun.of("deploy", "--lab", LAB, "--health-timeout", "8s", broken.toString());
    assertThat(deploy.exitCode()).as("deploy: %s", deploy.out()).isEqualTo(1);
    assertThat(deploy.err())
        .contains("host web1: the new version failed")
        .contains("the old version is back in rotation on web1")
        .contains("this version cannot start");
    assertThat(versions()).containsExactly("web1=1.0.0", "web2=1.0.0", "web3=1.0.0");
  }

  @Test
  @Order(5)
  void aMinimalJarThatIsNotOurGuestbookComesUpTheSameWay() throws Exception {
    Path jar = work.resolve("minimal.jar");
    packMinimalApp(jar);
    Path topology = work.resolve("minimal.yaml");
    String text =
        Files.readString(flask)
            .replaceAll(
                "(?s)  app:\\n.*?packages: \\[[^]]*]\\n",
                "  app: { jar: " + jar + ", health: /ready }\n");
    assertThat(text).contains("jar: " + jar);
    Files.writeString(topology, text);
    CliRun up = CliRun.of("up", topology.toString());
    assertThat(up.exitCode()).as("up:%n%s%n%s", up.out(), up.err()).isZero();
    lab.awaitSettled(Duration.ofMinutes(1));

    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      String h = headers("/");
      assertThat(h).startsWith("http/2 200");
      assertThat(header(h, "x-app-version")).isEqualTo("minimal-1");
      servedBy.add(header(h, "x-app-host"));
    }
    assertThat(servedBy).containsOnly("web1", "web2");
    assertThat(versions()).containsExactly("web1=minimal-1", "web2=minimal-1", "web3=minimal-1");
  }

  /** The last class on the shared lab takes it down: nothing of the lab is left on the machine. */
  @Test
  @Order(6)
  void downLeavesNothing() {
    assertThat(lab.down().exitCode()).isZero();
    assertThat(lab.leftovers()).isEmpty();
    assertThat(dev.webinfra.host.Shell.run("nft", "list", "tables").stdout())
        .as("the machine's table of the lab")
        .doesNotContain("webinfra-" + LAB);
  }

  /** A jar of {@link MinimalApp} alone, runnable with {@code java -jar}. */
  static void packMinimalApp(Path jar) throws Exception {
    Path classes =
        Path.of(MinimalApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, MinimalApp.class.getName());
    String dir = MinimalApp.class.getPackageName().replace('.', '/');
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
        Stream<Path> files = Files.list(classes.resolve(dir))) {
      for (Path f :
          files.filter(f -> f.getFileName().toString().startsWith("MinimalApp")).toList()) {
        out.putNextEntry(new JarEntry(dir + "/" + f.getFileName()));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
