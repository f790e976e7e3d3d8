package dev.webinfra.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load agent keeps a failed lookup about a second, as a browser does, where the JDK would keep
 * it 10 s. Each case runs in a JVM of its own, since the JDK reads its cache policy once.
 */
class AgentLookupCacheTest {
  static String probe(Path dir, String mode) throws Exception {
    Path hosts = dir.resolve(mode + ".hosts");
    Files.writeString(hosts, "");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djdk.net.hosts.file=" + hosts,
                    "-cp",
                    System.getProperty("java.class.path"),
                    NegativeCacheProbe.class.getName(),
                    mode))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe ended").isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void theAgentLooksAgainASecondAfterAFailedLookup(@TempDir Path dir) throws Exception {
    assertThat(probe(dir, "agent")).isEqualTo("198.18.0.9");
  }

  @Test
  void theJdkAloneWouldStillServeTheFailure(@TempDir Path dir) throws Exception {
    assertThat(probe(dir, "jdk"))
        .as("java.security's negative TTL of 10 s")
        .isEqualTo("still-failed");
  }
}
