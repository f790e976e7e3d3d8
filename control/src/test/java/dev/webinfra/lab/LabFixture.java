package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.cli.CliRun;
import dev.webinfra.deploy.HaproxyRuntime;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.lab.LabCleaner;
import dev.webinfra.host.lab.LabHostDriver;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.setup.HostSetup;
import dev.webinfra.setup.Privileges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A lab of a test's own: a preset renamed and moved to its own addresses in 198.19.0.0/16, so it
 * never collides with a lab a person left up on purpose. Skips (never passes) without root or
 * packages.
 */
public final class LabFixture implements AutoCloseable {
  private final String lab;
  private final Path topologyFile;
  private final LabHostDriver driver;
  private final int[] fromTo;
  private CliRun firstUp;
  private java.time.Instant lastUp;

  private LabFixture(String lab, Path topologyFile, int[] fromTo) {
    this.lab = lab;
    this.topologyFile = topologyFile;
    this.driver = new LabHostDriver(LabLayout.of(lab));
    this.fromTo = fromTo.clone();
  }

  /** Skips the calling test unless the lab can run here. */
  public static void assumeLabCanRun() {
    assumeTrue(
        Privileges.effectiveUid() == 0,
        "lab integration tests need root (namespaces, bridges, daemons)");
    List<String> missing = HostSetup.missingPackages();
    assumeTrue(
        missing.isEmpty(),
        "lab integration tests need the Debian packages " + missing + " (./test installs them)");
    assumeTrue(
        Files.isRegularFile(appJar()),
        "the app's jar " + appJar() + " is not built (run mvn verify, not test)");
  }

  /** Skips the calling test unless {@code packages} (an example app's) are installed. */
  public static void assumePackages(List<String> packages) {
    List<String> missing = HostSetup.missingPackages(packages);
    assumeTrue(
        missing.isEmpty(),
        "needs the Debian packages "
            + missing
            + " (./test installs them: webinfra setup examples/flask-guestbook/topology.yaml)");
  }

  public static Path appJar() {
    return Path.of(System.getProperty("webinfra.home", ".."))
        .resolve("app/target/webinfra-app.jar");
  }

  /**
   * A fixture for {@code preset}, renamed to {@code lab}, with {@code 198.18.<from>.} moved to
   * {@code 198.19.<to>.}.
   */
  public static LabFixture of(String preset, String presetLab, String lab, int... fromTo) {
    try {
      Path src =
          Path.of(System.getProperty("webinfra.home", "..")).resolve("topologies").resolve(preset);
      String text = Files.readString(src).replace("lab: " + presetLab + "\n", "lab: " + lab + "\n");
      for (int i = 0; i < fromTo.length; i += 2) {
        text = text.replace("198.18." + fromTo[i] + ".", "198.19." + fromTo[i + 1] + ".");
      }
      Path dir = Files.createTempDirectory("webinfra-it-");
      Path file = dir.resolve(preset);
      Files.writeString(file, text);
      return new LabFixture(lab, file, fromTo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String lab() {
    return lab;
  }

  public Path topologyFile() {
    return topologyFile;
  }

  public LabHostDriver driver() {
    return driver;
  }

  /**
   * The lab's address for the preset's {@code presetAddress} (198.18.7.22 is web2 on private in
   * ha-cluster): a test names hosts as the preset does, wherever its lab was moved.
   */
  public String ip(String presetAddress) {
    for (int i = 0; i < fromTo.length; i += 2) {
      String from = "198.18." + fromTo[i] + ".";
      if (presetAddress.startsWith(from)) {
        return "198.19." + fromTo[i + 1] + "." + presetAddress.substring(from.length());
      }
    }
    throw new IllegalArgumentException(
        presetAddress + ": not in a network of lab " + lab + "'s preset");
  }

  /**
   * Makes the lab as a first up left it, for the next IT class that shares it. Unless it is so
   * already, {@code up} again (it starts what a test stopped and undoes what a chaos left), then
   * waits until no fault or stop is recorded, every host and daemon runs, each haproxy sees every
   * web server up, one load balancer holds the floating IP, every Galera member is synced, every
   * replica follows and nothing waits.
   */
  public void heal() {
    try {
      assertSettled();
      return; // as the last class left it: an up would only restart the controller
    } catch (AssertionError | IOException | dev.webinfra.WebinfraException e) {
      // Something to heal.
    }
    up();
    awaitSettled(Duration.ofMinutes(3));
  }

  /**
   * Waits, changing nothing, until the lab is settled as {@link #heal} means it: after a test's own
   * fault, on a lab a test brought up from another topology than the fixture's.
   */
  public void awaitSettled(Duration atMost) {
    org.awaitility.Awaitility.await("lab " + lab + " settled")
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        // A haproxy runtime command that fails (haproxy restarting) is a look to take again.
        .ignoreExceptionsInstanceOf(dev.webinfra.WebinfraException.class)
        .untilAsserted(this::assertSettled);
  }

  private void assertSettled() throws IOException {
    Path state = LabLayout.of(lab).labDir().resolve("state");
    for (String left : List.of("chaos", "stopped")) {
      Path dir = state.resolve(left);
      if (Files.isDirectory(dir)) {
        try (var entries = Files.list(dir)) {
          assertThat(entries.toList()).as("what %s records", dir).isEmpty();
        }
      }
    }
    CliRun run = CliRun.of("status", "--json", "--lab", lab);
    assertThat(run.exitCode()).as("status: %s", run.err()).isZero();
    var status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
    List<String> lbs = new java.util.ArrayList<>();
    List<String> webs = new java.util.ArrayList<>();
    for (var h : status.path("hosts")) {
      String name = h.path("name").asText();
      assertThat(h.path("up").asBoolean()).as("host %s up", name).isTrue();
      for (var c : h.path("components")) {
        assertThat(c.path("state").asText())
            .as("%s/%s", name, c.path("name").asText())
            .isEqualTo("running");
      }
      String roles = h.path("roles").toString();
      if (roles.contains("\"lb\"")) {
        lbs.add(name);
      }
      if (roles.contains("\"web\"")) {
        webs.add(name);
      }
    }
    // haproxy's own view: a server that just came back counts only once its checks pass.
    for (String lb : lbs) {
      var haproxy = new HaproxyRuntime(driver, lb);
      for (String web : webs) {
        assertThat(haproxy.server(web).map(HaproxyRuntime.ServerState::status).orElse("absent"))
            .as("%s on %s's haproxy", web, lb)
            .isEqualTo("UP");
      }
    }
    if (status.hasNonNull("vip")) {
      assertThat(status.path("vip").path("holders")).as("floating IP holders").hasSize(1);
    }
    var db = status.path("database");
    assertThat(db.path("waiting")).as("what waits").isEmpty();
    for (var r : db.path("replicas")) {
      assertThat(r.path("state").asText())
          .as("replica %s", r.path("host").asText())
          .isEqualTo("following");
    }
    if (db.path("topology").asText().equals("galera")) {
      for (var member : db.path("primaries")) {
        String h = member.asText();
        ExecResult r =
            exec(
                h,
                "mariadb",
                "--defaults-file=" + driver.paths(h).etc().resolve("my.cnf"),
                "-N",
                "-e",
                "SHOW STATUS LIKE 'wsrep_local_state_comment'");
        assertThat(r.stdout()).as("Galera member %s: %s", h, r.describe()).contains("Synced");
      }
    }
  }

  /** Runs {@code webinfra up} on the fixture's file and asserts it succeeded. */
  public CliRun up() {
    lastUp = java.time.Instant.now();
    CliRun run = CliRun.of("up", topologyFile.toString());
    assertThat(run.exitCode())
        .as("up exit code; stdout:%n%s%nstderr:%n%s", run.out(), run.err())
        .isZero();
    if (firstUp == null) {
      firstUp = run;
    }
    return run;
  }

  /** When the fixture's last {@link #up} began (each up restarts the controller); null before. */
  public java.time.Instant lastUp() {
    return lastUp;
  }

  /** What the fixture's first {@link #up} printed; null before it. */
  public CliRun firstUp() {
    return firstUp;
  }

  /**
   * Runs {@code webinfra VERB ARGS... --lab LAB} and asserts it succeeded, showing its output if
   * not.
   */
  public CliRun ok(String verb, String... args) {
    String[] full = new String[args.length + 3];
    full[0] = verb;
    System.arraycopy(args, 0, full, 1, args.length);
    full[args.length + 1] = "--lab";
    full[args.length + 2] = lab;
    CliRun run = CliRun.of(full);
    assertThat(run.exitCode())
        .as(
            "webinfra %s %s; stdout:%n%s%nstderr:%n%s",
            verb, String.join(" ", args), run.out(), run.err())
        .isZero();
    return run;
  }

  /** Runs a command in a host. */
  public ExecResult exec(String host, String... cmd) {
    return driver.exec(host, List.of(cmd), null, Duration.ofSeconds(30));
  }

  /**
   * POSTs {@code body} (JSON) with {@code key} as its Idempotency-Key to the site's /entries, with
   * curl from the client host (DNS, the floating IP, HAProxy): the status, then the body.
   */
  public String[] postEntry(String key, String body) {
    ExecResult r =
        exec(
            "client",
            "curl",
            "-s",
            "--max-time",
            "10",
            "-w",
            "\n%{http_code}",
            "-H",
            "Content-Type: application/json",
            "-H",
            "Idempotency-Key: " + key,
            "--data",
            body,
            "https://www.foobar.com/entries");
    String out = r.stdout();
    int nl = out.lastIndexOf('\n');
    return nl < 0
        ? new String[] {"none", r.describe()}
        : new String[] {out.substring(nl + 1), out.substring(0, nl)};
  }

  /**
   * Copies every log of the load balancers and servers (HAProxy's, nginx's, the app's, MariaDB's…)
   * to {@code target/it-logs/NAME/}, before a failing assertion takes the lab's files with it: a
   * rare failure leaves evidence.
   */
  public void saveLogs(String name) {
    Path to = Path.of("target", "it-logs", name);
    try {
      for (String host : List.of("lb1", "lb2", "web1", "web2", "web3")) {
        Path dir = driver.paths(host).log();
        if (!Files.isDirectory(dir)) {
          continue;
        }
        // MariaDB's and others' logs are in directories of their own under it.
        try (var logs = Files.walk(dir)) {
          for (Path log : logs.filter(Files::isRegularFile).toList()) {
            Files.createDirectories(to);
            Files.copy(
                log,
                to.resolve(host + "-" + log.getFileName()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sleeps in a test; an interrupt fails it. */
  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** What of the lab is still on the machine. */
  public List<String> leftovers() {
    return new LabCleaner(LabLayout.of(lab), s -> {}).leftovers();
  }

  /** Takes the lab down; used by tests and as a last resort on close. */
  public CliRun down() {
    return CliRun.of("down", "--lab", lab);
  }

  @Override
  public void close() {
    try {
      if (!leftovers().isEmpty()) {
        down();
      }
    } finally {
      deleteFiles();
    }
  }

  /**
   * Removes the directory of the fixture's copy of its topology, with what tests wrote beside it
   * (MaintenanceIT draws the scaled lab there).
   */
  void deleteFiles() {
    try {
      dev.webinfra.TestFiles.deleteTree(topologyFile.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
