package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.lab.LabFixture;
import dev.webinfra.lab.LabTest;
import dev.webinfra.lab.SecondStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One floating-IP holder whatever the fault (docs/vip.md), on a real ha-cluster with its witness:
 * lb1 and lb2 cut from each other on both networks, the holder's power cut and restored, the
 * holder's haproxy frozen. {@code chaos} watches the holders every 50 ms on the links that are up.
 */
@LabTest(VipIT.LAB)
@Order(3)
@SecondStream
class VipIT {
  static final String LAB = "itside";
  static LabFixture lab;
  static CliRun run;
  static JsonNode json;

  static final String SCENARIO =
      """
      preset: ha-cluster
      load: {rate: 20, writes: 10, duration: 45s}
      faults:
        - {name: split, kind: partition, between: [[lb1], [lb2]], at: 3s, duration: 8s}
        - {name: hang, kind: freeze, host: "@vip", daemon: haproxy, at: 14s, duration: 5s}
        - {name: cut, kind: power-cut, host: "@vip", at: 25s, duration: 6s}
      """;

  @BeforeAll
  static void upAndRunTheFaults(LabFixture fixture, @TempDir Path work) throws Exception {
    lab = fixture;
    Files.writeString(work.resolve("vip.yaml"), SCENARIO);
    run = CliRun.of("chaos", work.resolve("vip.yaml").toString(), "--json", "--lab", LAB);
    Files.writeString(Path.of("target/vip-it.json"), run.out());
    Files.writeString(Path.of("target/vip-it.err"), run.err());
    json = new ObjectMapper().readTree(run.out());
  }

  static JsonNode fault(String name) {
    for (JsonNode f : json.get("faults")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no fault " + name + " in " + json.get("faults"));
  }

  static List<String> happened(JsonNode f) {
    List<String> out = new ArrayList<>();
    f.path("happened").forEach(h -> out.add(h.asText()));
    return out;
  }

  // The seconds from the load's start at which each stretch of double holding began.
  static List<Double> episodeStarts() {
    List<Double> out = new ArrayList<>();
    json.path("vip_double_holding")
        .forEach(e -> out.add(Double.parseDouble(e.asText().replaceAll("^\\+([0-9.]+)s.*", "$1"))));
    return out;
  }

  @Test
  void everyFaultWasInjectedAndUndone() {
    assertThat(run.exitCode()).as("chaos; stderr:%n%s", run.err()).isZero();
    for (JsonNode f : json.get("faults")) {
      assertThat(f.has("error")).as("injected: %s", f).isFalse();
      assertThat(f.get("undo_errors")).as("undone cleanly: %s", f).isEmpty();
    }
  }

  @Test
  void aPartitionBetweenTheLoadBalancersLeavesExactlyOneHolder() {
    JsonNode split = fault("split");
    assertThat(json.get("vip_double_holding_s").asDouble())
        .as(
            "two holders at once over the whole run, seen every 50 ms: %s",
            json.get("vip_double_holding"))
        .isLessThanOrEqualTo(0.3);
    assertThat(happened(split))
        .as("while lb1 and lb2 cannot hear each other, the IP neither leaves nor doubles")
        .noneMatch(h -> h.contains("floating IP held by none") || h.contains(" and lb"));
  }

  @Test
  void aLoadBalancerBackFromAPowerCutNeverHoldsBesideTheHolder() {
    JsonNode cut = fault("cut");
    double from = cut.get("at").asDouble();
    assertThat(cut.get("done").asText()).startsWith("power-cut lb");
    assertThat(episodeStarts())
        .as("double holding from the power cut to its host's return and after")
        .noneMatch(s -> s >= from);
    assertThat(happened(cut))
        .as("the other LB took the IP")
        .anyMatch(h -> h.contains("floating IP on lb"));
  }

  @Test
  void aFrozenHaproxyLosesTheIpAndItsHostDoesNotTakeItBack() {
    JsonNode hang = fault("hang");
    String frozen = hang.get("done").asText().replaceAll("^froze haproxy on (lb[0-9]+).*", "$1");
    assertThat(hang.get("undone_at").asDouble() - hang.get("at").asDouble())
        .as("frozen for the scenario's 5 s")
        .isGreaterThan(4.0);
    String other = frozen.equals("lb1") ? "lb2" : "lb1";
    assertThat(happened(hang))
        .as("the IP moved from the frozen %s to %s", frozen, other)
        .anyMatch(h -> h.endsWith("floating IP on " + other))
        .noneMatch(h -> h.contains(" and lb"));
    double at = hang.get("at").asDouble();
    double next = fault("cut").get("at").asDouble();
    assertThat(episodeStarts())
        .as("double holding from the freeze to the next fault")
        .noneMatch(s -> s >= at && s < next);
  }

  @Test
  void theFrozenHaproxysClientsAreResetAndTheirRetriesServed() throws Exception {
    JsonNode hang = fault("hang");
    String frozen = hang.get("done").asText().replaceAll("^froze haproxy on (lb[0-9]+).*", "$1");
    // Without the reset, what reached the hung haproxy before the IP moved timed out (5 s).
    assertThat(
            Files.readAllLines(
                Path.of("/var/lib/webinfra/" + LAB + "/hosts/" + frozen + "/log/vip-guard.log")))
        .as("%s's guard log", frozen)
        .anyMatch(l -> l.contains("reset the hung haproxy's connections"));
    assertThat(hang.get("failed_requests").asLong())
        .as("requests failed by the freeze; retried over the run: %s", json.get("retry_reasons"))
        .isZero();
  }
}
