package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {
  static final Path HOME = Path.of(System.getProperty("webinfra.home", ".."));

  static Optional<Topology> preset(String name) {
    Path p = HOME.resolve("topologies").resolve(name + ".yaml");
    return Files.exists(p) ? Optional.of(TopologyLoader.load(p)) : Optional.empty();
  }

  static Scenario parse(String text) {
    return ScenarioLoader.parse(text, "s.yaml", ScenarioLoaderTest::preset);
  }

  static String error(String text) {
    try {
      parse(text);
    } catch (WebinfraException e) {
      assertThat(e.exitCode()).as("exit code of an invalid scenario").isEqualTo(2);
      return e.getMessage();
    }
    throw new AssertionError("no error for:\n" + text);
  }

  @Test
  void everyShippedScenarioLoadsAgainstItsPresetAndEveryPresetHasOne() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(HOME.resolve("scenarios"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    List<String> presets =
        files.stream()
            .map(f -> ScenarioLoader.load(f, ScenarioLoaderTest::preset).preset())
            .distinct()
            .sorted()
            .toList();
    assertThat(presets)
        .as("presets with a scenario")
        .containsExactly("ha-cluster", "secured-monitored", "single-server", "three-servers");
  }

  @Test
  void theTourHitsEveryTierOfHaCluster() {
    Scenario s =
        ScenarioLoader.load(
            HOME.resolve("scenarios/ha-cluster-tour.yaml"), ScenarioLoaderTest::preset);
    assertThat(s.faults())
        .extracting(f -> f.kind().label() + " " + target(f))
        .contains(
            "power-cut @vip",
            "freeze @vip/haproxy",
            "kill web1/app",
            "kill web2/mariadb",
            "kill dns/dnsmasq",
            "power-cut dns2",
            "power-cut web1",
            "partition [[lb1], [lb2]]",
            "latency web3->web2:3306");
    assertThat(s.load().duration()).isGreaterThanOrEqualTo(s.faults().getLast().end());
  }

  static String target(FaultSpec f) {
    return switch (f.kind()) {
      case KILL, FREEZE -> f.host() + "/" + f.daemon();
      case POWER_CUT -> f.host();
      case PARTITION -> f.sides().toString();
      case BANDWIDTH -> f.host() + " " + f.link();
      case LATENCY -> f.from() + "->" + f.to() + ":" + f.port();
    };
  }

  @Test
  void aFreezeNamesAHostAndADaemonThatRunsThere() {
    Scenario s =
        parse(
            """
            preset: ha-cluster
            load: {rate: 20, writes: 0, duration: 20s}
            faults:
              - {name: f, kind: freeze, host: "@vip", daemon: haproxy, at: 5s, duration: 5s}
            """);
    FaultSpec f = s.faults().getFirst();
    assertThat(f.kind()).isEqualTo(Kind.FREEZE);
    assertThat(f.host() + "/" + f.daemon()).isEqualTo("@vip/haproxy");
    assertThat(
            error(
                "preset: ha-cluster\nload: {rate: 1, writes: 0, duration: 5s}\nfaults:\n"
                    + "  - {name: f, kind: freeze, host: dns, daemon: haproxy, at: 1s, duration:"
                    + " 1s}\n"))
        .contains("no daemon 'haproxy' runs on dns");
    assertThat(
            error(
                "preset: ha-cluster\nload: {rate: 1, writes: 0, duration: 5s}\nfaults:\n"
                    + "  - {name: f, kind: freeze, host: lb1, at: 1s, duration: 1s}\n"))
        .contains("daemon");
  }

  @Test
  void aGoodFileGivesFaultsSortedByTimeWithTheirFields() {
    Scenario s =
        parse(
            """
            preset: ha-cluster
            load: {rate: 20, writes: 50, duration: 40s}
            faults:
              - {name: b, kind: latency, from: web3, to: web2, port: 3306, delay: 150ms, at: 20s, duration: 5s}
              - {name: a, kind: bandwidth, host: "@vip", link: public, rate: 512kbit, at: 1500ms, duration: 2s}
            """);
    assertThat(s.load()).isEqualTo(new Scenario.Load(20, 50, Duration.ofSeconds(40)));
    assertThat(s.faults()).extracting(FaultSpec::name).containsExactly("a", "b");
    FaultSpec b = s.faults().get(1);
    assertThat(b.delay()).isEqualTo(Duration.ofMillis(150));
    assertThat(b.end()).isEqualTo(Duration.ofSeconds(25));
    assertThat(s.faults().get(0).at()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void badFilesNameLineColumnFieldAndWhatIsAllowed() {
    String head = "preset: ha-cluster\nload: {duration: 30s}\nfaults:\n";
    assertThat(error(head + "  - {name: x, kind: explode, at: 1s, duration: 1s}\n"))
        .contains("s.yaml:4:21", "faults[0].kind", "'explode' is not a fault kind", "latency");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: kill, host: web9, daemon: app, at: 1s, duration: 1s}\n"))
        .contains("s.yaml:4:33", "faults[0].host", "no host 'web9'", "web1");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: kill, host: dns, daemon: haproxy, at: 1s, duration:"
                    + " 1s}\n"))
        .contains("faults[0].daemon", "no daemon 'haproxy' runs on dns", "dnsmasq");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: kill, host: dns, daemon: dnsmasq, at: soon, duration:"
                    + " 1s}\n"))
        .contains("faults[0].at", "'soon' is not a duration; use e.g. 500ms");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: power-cut, host: web1, link: private, at: 1s, duration:"
                    + " 1s}\n"))
        .contains(
            "unknown field 'link' for a power-cut fault; allowed: at, duration, host, kind, name");
    assertThat(
            error(
                head + "  - {name: x, kind: partition, between: [[lb1]], at: 1s, duration: 1s}\n"))
        .contains("faults[0].between", "two sides");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: partition, between: [[lb1], [lb1]], at: 1s, duration:"
                    + " 1s}\n"))
        .contains("'lb1' is on both sides");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: bandwidth, host: web1, link: public, rate: fast, at: 1s,"
                    + " duration: 1s}\n"))
        .contains("host web1 has no link to network 'public'", "'fast'");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: latency, from: web1, to: web1, port: 99999, delay: 1s,"
                    + " at: 1s, duration: 1s}\n"))
        .contains("both are web1", "faults[0].port", "between 1 and 65535");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: kill, host: dns, daemon: dnsmasq, at: 25s, duration:"
                    + " 10s}\n"))
        .contains("s.yaml:2:7", "load", "ends before fault 'x' is undone at 35.0 s");
    assertThat(
            error(
                head
                    + "  - {name: x, kind: kill, host: dns, daemon: dnsmasq, at: 1s, duration:"
                    + " 1s}\n"
                    + "  - {name: x, kind: kill, host: dns, daemon: dnsmasq, at: 2s, duration:"
                    + " 1s}\n"))
        .contains("s.yaml:5:5", "fault name 'x' is used twice");
    assertThat(error("preset: nine-servers\nload: {duration: 30s}\nfaults: []\n"))
        .contains("s.yaml:1:9", "no preset 'nine-servers'", "s.yaml:3:9", "at least one fault");
    assertThat(error("preset: [\n")).contains("is not valid YAML", "s.yaml:");
    assertThatThrownBy(() -> parse("")).hasMessageContaining("is empty");
  }
}
