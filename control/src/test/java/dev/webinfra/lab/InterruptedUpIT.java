package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.webinfra.cli.CliRun;
import dev.webinfra.host.lab.LabInventory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code up} killed halfway, then {@code down}: nothing of the lab is left on the machine. */
@SecondStream
class InterruptedUpIT {

  @Test
  void downCleansUpAfterAnUpKilledHalfway() throws Exception {
    LabFixture.assumeLabCanRun();
    Path cliJar =
        Path.of(System.getProperty("webinfra.home", "..")).resolve("control/target/webinfra.jar");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(cliJar), "the CLI jar is not built: " + cliJar);
    try (LabFixture lab = LabRanges.fixture("itkill")) {
      Process up =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Dwebinfra.home=" + System.getProperty("webinfra.home", ".."),
                  "-jar",
                  cliJar.toString(),
                  "up",
                  lab.topologyFile().toString())
              .redirectErrorStream(true)
              .redirectOutput(new File("/dev/null"))
              .start();
      // Kill it once daemons are starting: namespaces, links and some processes exist, others not
      // yet.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !LabInventory.pidsIn("itkill-web1").isEmpty() || !up.isAlive());
      assertThat(up.isAlive()).as("up was still running when killed").isTrue();
      up.destroyForcibly().waitFor();
      assertThat(lab.leftovers()).as("the killed up left things behind").isNotEmpty();

      CliRun down = lab.down();

      assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
      assertThat(lab.leftovers()).isEmpty();
      assertThat(LabInventory.namespaces()).noneMatch(n -> n.startsWith("itkill-"));
      assertThat(LabInventory.links()).noneMatch(l -> l.contains("itkill."));
      assertThat(LabInventory.pidsMentioning(Path.of("/var/lib/webinfra/itkill")))
          .as("daemons of the lab")
          .isEmpty();
    }
  }
}
