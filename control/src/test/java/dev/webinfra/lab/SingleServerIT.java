package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.lab.LabInventory;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The single-server preset, brought up for real: DNS, nginx, the app and MariaDB in their hosts.
 */
@LabTest("itsingle")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SecondStream
class SingleServerIT {
  static LabFixture lab;
  static CliRun firstUp;

  @BeforeAll
  static void up(LabFixture fixture) {
    lab = fixture;
    firstUp = fixture.firstUp();
  }

  @Test
  @Order(1)
  void upPrintsWhereTheSiteIs() {
    assertThat(firstUp.out())
        .contains("lab itsingle is up")
        .contains("http://www.foobar.com/ -> 198.19.10.21")
        .contains("./webinfra exec client -- curl -s http://www.foobar.com/");
  }

  @Test
  @Order(2)
  void clientResolvesTheSiteThroughTheLabDnsAndGetsTheAppsPageFromNginx() {
    ExecResult dig = lab.exec("client", "dig", "+short", "www.foobar.com");
    assertThat(dig.stdout().strip()).as("lab DNS answer").isEqualTo("198.19.10.21");

    ExecResult page = lab.exec("client", "curl", "-s", "-i", "http://www.foobar.com/");
    assertThat(page.stdout())
        .as("page from the client")
        .startsWith("HTTP/1.1 200")
        .containsIgnoringCase("X-Served-By: web1")
        .containsIgnoringCase("X-App-Host: web1")
        .contains("/static/style.css");
  }

  @Test
  @Order(3)
  void aWriteThroughTheSiteIsReadBackAndLivesInMariadb() {
    String marker = "it-" + System.nanoTime();
    ExecResult post =
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
            "http://www.foobar.com/entries");
    assertThat(post.stdout()).as("POST /entries status").isEqualTo("201");

    assertThat(lab.exec("client", "curl", "-s", "http://www.foobar.com/api/entries").stdout())
        .as("read back through the site")
        .contains(marker);

    ExecResult sql =
        lab.exec(
            "web1",
            "mariadb",
            "--defaults-file=/var/lib/webinfra/itsingle/hosts/web1/etc/my.cnf",
            "-N",
            "-e",
            "SELECT message FROM webinfra.entries WHERE message = '" + marker + "'");
    assertThat(sql.stdout().strip()).as("row in MariaDB; %s", sql.describe()).isEqualTo(marker);
  }

  @Test
  @Order(4)
  void staticAssetsAreAnsweredByNginxWithoutReachingTheApp() throws Exception {
    ExecResult css =
        lab.exec("client", "curl", "-s", "-i", "http://www.foobar.com/static/style.css");
    assertThat(css.stdout())
        .startsWith("HTTP/1.1 200")
        .containsIgnoringCase("X-Served-By: web1")
        .as("the app stamps every response it makes; this one has no stamp")
        .doesNotContainIgnoringCase("X-App-Host");
    // nginx logs a request after it has sent the answer: the line may come just after curl ends.
    Path staticLog = Path.of("/var/lib/webinfra/itsingle/hosts/web1/log/nginx-static.log");
    Poll.system()
        .within(
            Duration.ofSeconds(5),
            Duration.ofMillis(50),
            () -> {
              try {
                return Files.readString(staticLog).contains("GET /static/style.css");
              } catch (IOException e) {
                return false;
              }
            });
    assertThat(Files.readAllLines(staticLog))
        .as("nginx's static log")
        .anyMatch(l -> l.contains("GET /static/style.css") && l.contains("upstream=-"));
  }

  @Test
  @Order(5)
  void statusShowsEveryHostAndComponentRunning() throws Exception {
    CliRun status = CliRun.of("status", "--json", "--lab", "itsingle");
    assertThat(status.exitCode()).as(status.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(status.out());
    assertThat(json.get("lab").asText()).isEqualTo("itsingle");
    List<JsonNode> hosts = StreamSupport.stream(json.get("hosts").spliterator(), false).toList();
    assertThat(hosts)
        .extracting(h -> h.get("name").asText())
        .containsExactly("client", "dns", "web1");
    assertThat(hosts)
        .allSatisfy(
            h -> {
              assertThat(h.get("up").asBoolean()).as("host %s up", h.get("name")).isTrue();
              assertThat(h.get("roles").isArray()).isTrue();
              assertThat(h.get("addresses").size()).isPositive();
              h.get("components")
                  .forEach(
                      c ->
                          assertThat(c.get("state").asText())
                              .as("%s/%s", h.get("name"), c.get("name"))
                              .isEqualTo("running"));
            });
    JsonNode web1 = hosts.get(2);
    assertThat(web1.get("components").findValuesAsText("name"))
        .containsExactly("mariadb", "app", "nginx");
  }

  @Test
  @Order(5)
  void logsShowEachComponentsTailAndExecAnswersTheCommandsExitCode() {
    CliRun logs = lab.ok("logs", "web1", "app", "-n", "3");
    assertThat(logs.out()).contains("==> web1/app: ").contains("app.log <==");
    assertThat(logs.out().lines().filter(l -> !l.startsWith("==> ")).count())
        .as("at most 3 lines of each log")
        .isLessThanOrEqualTo(3L * logs.out().lines().filter(l -> l.startsWith("==> ")).count());
    CliRun none = CliRun.of("logs", "web1", "nosuch", "--lab", "itsingle");
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.err()).contains("host web1: has no component 'nosuch'; it has: ");
    assertThat(
            CliRun.of("exec", "--lab", "itsingle", "web1", "--", "sh", "-c", "exit 3").exitCode())
        .as("exec's exit code is the command's")
        .isEqualTo(3);
  }

  @Test
  @Order(6)
  void upAgainConvergesAndDuplicatesNothing() {
    Set<String> linksBefore = LabInventory.links();
    List<Long> pidsBefore = LabInventory.pidsIn("itsingle-web1");

    CliRun again = lab.up();

    assertThat(again.out())
        .contains("web1/nginx: running")
        .contains("web1/app: running")
        .contains("web1/mariadb: running");
    assertThat(LabInventory.links()).as("no link added").isEqualTo(linksBefore);
    assertThat(LabInventory.pidsIn("itsingle-web1"))
        .as("no daemon restarted or duplicated")
        .containsExactlyInAnyOrderElementsOf(pidsBefore);
  }

  @Test
  @Order(7)
  void secretsAreReadableByTheirOwnerOnly() throws Exception {
    Path secrets = Path.of("/var/lib/webinfra/itsingle/secrets");
    assertThat(Files.getPosixFilePermissions(secrets))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
    try (var files = Files.list(secrets)) {
      files.forEach(f -> assertDoesNotLeak(f));
    }
    assertDoesNotLeak(Path.of("/var/lib/webinfra/itsingle/hosts/web1/etc/app-db.password"));
    ExecResult root =
        lab.exec(
            "web1",
            "mariadb",
            "--defaults-file=/var/lib/webinfra/itsingle/hosts/web1/etc/my.cnf",
            "-N",
            "-e",
            "SELECT plugin FROM mysql.global_priv g JOIN mysql.user u USING (user, host) WHERE"
                + " u.user = 'root' AND u.host = 'localhost'");
    assertThat(root.ok()).as(root.describe()).isTrue();
    ExecResult grants =
        lab.exec(
            "web1",
            "mariadb",
            "--defaults-file=/var/lib/webinfra/itsingle/hosts/web1/etc/my.cnf",
            "-N",
            "-e",
            "SHOW GRANTS FOR 'webinfra_app'@'198.19.10.21'");
    assertThat(grants.stdout())
        .contains("GRANT SELECT, INSERT, UPDATE, DELETE ON `webinfra`.*")
        .doesNotContain("ALL PRIVILEGES");
  }

  @Test
  @Order(9)
  void noGeneratedPasswordIsInTheRepository() throws Exception {
    Path home = Path.of(System.getProperty("webinfra.home", "..")).toAbsolutePath().normalize();
    List<String> passwords = new java.util.ArrayList<>();
    try (var files = Files.list(Path.of("/var/lib/webinfra/itsingle/secrets"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".password")).toList()) {
        passwords.add(Files.readString(f).strip());
      }
    }
    assertThat(passwords).as("generated passwords").isNotEmpty().allMatch(p -> p.length() >= 24);
    try (var tree = Files.walk(home)) {
      List<Path> leaks =
          tree.filter(Files::isRegularFile)
              .filter(p -> !p.toString().contains("/.git/") && !p.toString().contains("/target/"))
              .filter(
                  p -> {
                    try {
                      String text =
                          new String(
                              Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                      return passwords.stream().anyMatch(text::contains);
                    } catch (java.io.IOException e) {
                      return false;
                    }
                  })
              .toList();
      assertThat(leaks).as("files of %s holding a generated password", home).isEmpty();
    }
  }

  // A file is rw for its owner only; a directory (the lab CA's, which the controller makes for the
  // dashboard's certificate) rwx for its owner only, which hides what is in it from anyone else.
  private static void assertDoesNotLeak(Path f) {
    try {
      if (Files.isDirectory(f)) {
        assertThat(Files.getPosixFilePermissions(f))
            .extracting(Object::toString)
            .as("%s is private", f)
            .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
        return;
      }
      assertThat(Files.getPosixFilePermissions(f))
          .extracting(Object::toString)
          .as("%s is private", f)
          .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @Order(8)
  void appRunsUnprivileged() {
    // The PID namespace is the machine's: look only at the processes in web1's network namespace.
    List<String> javaUsers =
        LabInventory.pidsIn("itsingle-web1").stream()
            .filter(
                pid ->
                    ProcessHandle.of(pid)
                        .flatMap(p -> p.info().command())
                        .map(c -> c.endsWith("/java"))
                        .orElse(false))
            .map(pid -> ProcessHandle.of(pid).flatMap(p -> p.info().user()).orElse("?"))
            .toList();
    assertThat(javaUsers).as("users of the java processes in web1").containsExactly("webinfra");
  }

  @Test
  @Order(100)
  void downLeavesNothing() {
    CliRun down = lab.down();

    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(LabInventory.namespaces()).noneMatch(n -> n.startsWith("itsingle-"));
    assertThat(LabInventory.links()).noneMatch(l -> l.contains("itsingle."));
    assertThat(LabInventory.pidsMentioning(Path.of("/var/lib/webinfra/itsingle"))).isEmpty();
    assertThat(lab.leftovers()).isEmpty();
  }
}
