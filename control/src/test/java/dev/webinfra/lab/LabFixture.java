package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.cli.CliRun;
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
  private CliRun firstUp;

  private LabFixture(String lab, Path topologyFile) {
    this.lab = lab;
    this.topologyFile = topologyFile;
    this.driver = new LabHostDriver(LabLayout.of(lab));
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

  static Path appJar() {
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
      return new LabFixture(lab, file);
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

  /** Runs {@code webinfra up} on the fixture's file and asserts it succeeded. */
  public CliRun up() {
    CliRun run = CliRun.of("up", topologyFile.toString());
    assertThat(run.exitCode())
        .as("up exit code; stdout:%n%s%nstderr:%n%s", run.out(), run.err())
        .isZero();
    if (firstUp == null) {
      firstUp = run;
    }
    return run;
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
    if (!leftovers().isEmpty()) {
      down();
    }
  }
}
