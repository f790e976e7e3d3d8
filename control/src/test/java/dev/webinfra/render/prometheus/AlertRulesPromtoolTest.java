package dev.webinfra.render.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules rendered for the ha-cluster preset, checked and unit-tested by Prometheus's own
 * {@code promtool}: one test file per rule group under {@code src/test/resources/promtool/}.
 */
class AlertRulesPromtoolTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");
  static final Path CASES = Path.of("src/test/resources/promtool/ha-cluster");
  static final Topology HA = TopologyLoader.load(PRESETS.resolve("ha-cluster.yaml"));

  @Test
  void everyRuleGroupHasATestFile() {
    assertThat(AlertRules.groups(HA))
        .as("ha-cluster runs every daemon, so gets every group")
        .containsExactly(
            "targets",
            "load-balancer",
            "http",
            "mariadb",
            "galera",
            "replication",
            "floating-ip",
            "headroom");
    for (String g : AlertRules.groups(HA)) {
      assertThat(CASES.resolve(g + ".yml")).as("promtool test for group %s", g).exists();
    }
  }

  @Test
  void promtoolChecksAndTestsTheRules(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/promtool")),
        "promtool is missing: install Debian's prometheus package (webinfra setup does)");
    Files.writeString(dir.resolve("alerts.yml"), AlertRules.render(HA));
    List<String> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(CASES)) {
      for (Path f : files.sorted().toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
        tests.add(f.getFileName().toString());
      }
    }
    String check = promtool(dir, List.of("check", "rules", "alerts.yml"));
    assertThat(check).as("promtool check rules").contains("SUCCESS");
    List<String> test = new ArrayList<>(List.of("test", "rules"));
    test.addAll(tests);
    String out = promtool(dir, test);
    assertThat(out).as("promtool test rules output").doesNotContain("FAILED");
    assertThat(out.split("SUCCESS", -1).length - 1)
        .as("one success per test file:\n%s", out)
        .isEqualTo(tests.size());
  }

  private static String promtool(Path dir, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/promtool"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(p.exitValue()).as("promtool %s exit code; output:\n%s", args, out).isZero();
    return out;
  }
}
