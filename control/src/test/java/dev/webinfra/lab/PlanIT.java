package dev.webinfra.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.webinfra.cli.CliRun;
import dev.webinfra.host.lab.LabInventory;
import dev.webinfra.host.lab.LabLayout;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Plan, then apply, on a real lab: a dry run changes nothing, a heap change restarts exactly the
 * app and says why, the controller's recoveries and the operators' commands reach the event log,
 * and down returns only when no process of the lab is left.
 */
@LabTest(value = "itplan", downFirst = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SecondStream
class PlanIT {
  static LabFixture lab;

  @BeforeAll
  static void up(LabFixture fixture) {
    lab = fixture;
  }

  // 0 for a stopped component (its instance is null), as status's pid was before.
  private static long pid(String instance) {
    return instance.startsWith("pid ") ? Long.parseLong(instance.substring("pid ".length())) : 0;
  }

  static Map<String, String> pids() throws Exception {
    JsonNode s = new ObjectMapper().readTree(lab.ok("status", "--json").out());
    Map<String, String> out = new HashMap<>();
    for (JsonNode h : s.get("hosts")) {
      for (JsonNode c : h.get("components")) {
        out.put(h.get("name").asText() + "/" + c.get("name").asText(), c.get("instance").asText());
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void aSecondUpPlansNothingAndRestartsNothing() throws Exception {
    Map<String, String> before = pids();
    CliRun dry = CliRun.of("up", "--dry-run", lab.topologyFile().toString());

    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).startsWith("plan for lab itplan: 0 changes");
    assertThat(pids()).isEqualTo(before);
  }

  @Test
  @Order(2)
  void aHeapChangeRestartsExactlyTheAppAndSaysWhy() throws Exception {
    Map<String, String> before = pids();
    String text = Files.readString(lab.topologyFile());
    Files.writeString(
        lab.topologyFile(),
        text.replace(
            "    networks: { public: 198.19.206.21 }",
            "    networks: { public: 198.19.206.21 }\n    settings: { app: { heap_mb: 96 } }"));

    CliRun dry = CliRun.of("up", "--dry-run", lab.topologyFile().toString());
    assertThat(dry.out())
        .as("the dry run names the change and its reason")
        .contains("plan for lab itplan: 1 change,")
        .contains("app on web1: restart (command line: -Xmx128m -> -Xmx96m)");
    assertThat(pids()).as("a dry run starts and stops nothing").isEqualTo(before);

    CliRun up = lab.up();
    assertThat(up.out()).contains("web1/app: restarting (command line: -Xmx128m -> -Xmx96m)");
    Map<String, String> after = pids();
    assertThat(after.get("web1/app"))
        .as("the app was restarted")
        .isNotEqualTo(before.get("web1/app"));
    after.remove("web1/app");
    before.remove("web1/app");
    assertThat(after).as("nothing else was").isEqualTo(before);
  }

  @Test
  @Order(3)
  void eventsShowTheControllersRecoveryAndTheOperatorsCommands() throws Exception {
    // status names the lab's instance by its pid ("pid 1234").
    long nginx = pid(pids().get("web1/nginx"));
    ProcessHandle.of(nginx).ifPresent(ProcessHandle::destroyForcibly);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> lab.ok("events").out().contains("restarted web1/nginx"));
    lab.ok("stop", "web1");
    // The controller notes a host stopped on purpose on its next look, and leaves it alone.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(() -> lab.ok("events", "--json").out().contains("\"HostStopped\""));
    lab.ok("start", "web1");

    CliRun json = lab.ok("events", "--json");
    List<String> codes =
        new ObjectMapper()
            .readTree(json.out()).findValues("code").stream().map(JsonNode::asText).toList();
    assertThat(codes)
        .contains("DeadDaemon", "OperatorStop", "HostStopped", "OperatorStart")
        .containsSubsequence("OperatorStop", "HostStopped", "OperatorStart");
    assertThat(lab.ok("events", "--since", "1h").out()).contains("webinfra stop web1: power cut");
  }

  @Test
  @Order(4)
  void downReturnsOnlyWhenNoProcessOfTheLabIsLeft() {
    List<Long> daemons = pidsUnchecked().values().stream().map(PlanIT::pid).toList();
    CliRun d = lab.down();

    assertThat(d.exitCode()).as(d.err()).isZero();
    assertThat(d.out()).contains("checked: no process, namespace, link, mount or file is left");
    assertThat(daemons)
        .as("every daemon has exited when down returns")
        .allMatch(LabInventory::exited);
    assertThat(LabInventory.pidsMentioning(LabLayout.of("itplan").labDir())).isEmpty();
    assertThat(lab.leftovers()).isEmpty();
  }

  private static Map<String, String> pidsUnchecked() {
    try {
      return pids();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
