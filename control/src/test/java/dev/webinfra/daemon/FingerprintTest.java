package dev.webinfra.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.host.HostPaths;
import dev.webinfra.plan.Units;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fingerprint covers everything that defines a running daemon, the command line included. */
class FingerprintTest {
  static final Path PRESETS = Path.of(System.getProperty("user.dir")).resolveSibling("topologies");

  static DaemonSpec app(String yamlExtra) throws Exception {
    String text =
        java.nio.file.Files.readString(PRESETS.resolve("single-server.yaml"))
            .replace(
                "    networks: { public: 198.18.0.21 }",
                "    networks: { public: 198.18.0.21 }\n" + yamlExtra);
    Topology t = TopologyLoader.parse(text, "t.yaml");
    return Units.named("app")
        .orElseThrow()
        .spec(t, t.host("web1").orElseThrow(), new HostPaths(Path.of("/h/web1")));
  }

  @Test
  void theHeapIsOnTheCommandLineAndAChangeOfItIsAReasonToRestart() throws Exception {
    Fingerprint before = Fingerprint.of(app(""), Map.of());
    Fingerprint after = Fingerprint.of(app("    settings: { app: { heap_mb: 96 } }"), Map.of());

    assertThat(after).isNotEqualTo(before);
    assertThat(after.sameCommand(before)).isFalse();
    assertThat(after.changesFrom(before)).containsExactly("command line: -Xmx128m -> -Xmx96m");
  }

  @Test
  void aChangedFileIsNamed() throws Exception {
    Fingerprint before = Fingerprint.of(app(""), Map.of(Path.of("/h/web1/app/x.jar"), "aa"));
    Fingerprint after = Fingerprint.of(app(""), Map.of(Path.of("/h/web1/app/x.jar"), "bb"));

    assertThat(after.changesFrom(before)).containsExactly("x.jar changed");
    assertThat(after.sameCommand(before)).isTrue();
  }

  @Test
  void equalSpecsHaveEqualFingerprintsAndNoReasons() throws Exception {
    Fingerprint a = Fingerprint.of(app(""), Map.of());
    Fingerprint b = Fingerprint.of(app(""), Map.of());

    assertThat(a).isEqualTo(b);
    assertThat(a.changesFrom(b)).isEmpty();
  }

  @Test
  void filesThatComeAndGoAreNamed() {
    Fingerprint old = new Fingerprint(List.of("x"), Map.of("/a/old.conf", "1"));
    Fingerprint now = new Fingerprint(List.of("x"), Map.of("/a/new.conf", "2"));

    assertThat(now.changesFrom(old))
        .containsExactly("new.conf is new", "old.conf is no longer used");
  }
}
