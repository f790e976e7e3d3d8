package dev.webinfra.host.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabHostDriverTest {
  @TempDir Path state;
  @TempDir Path run;

  @Test
  void aCommandEntersTheHostsThreeNamespacesInOneNsenterWhereItRanBefore() throws Exception {
    LabLayout layout = new LabLayout("t", state, run);
    Files.createDirectories(layout.mountDir());
    Files.createFile(layout.mountFile("web1"));
    assertThat(new LabHostDriver(layout).inHost("web1", List.of("hostname")))
        .containsExactly(
            "nsenter",
            "--net=/run/netns/t-web1",
            "--mount=" + run.resolve("t/mnt/web1"),
            "--uts=" + run.resolve("t/uts/web1"),
            "--wd=" + System.getProperty("user.dir"),
            "--",
            "hostname");
  }

  @Test
  void aHostMadeWithoutItsMountNamespaceIsEnteredThroughIpNetnsExec() {
    LabLayout layout = new LabLayout("t", state, run);
    assertThat(new LabHostDriver(layout).inHost("web1", List.of("hostname")))
        .containsExactly(
            "ip",
            "netns",
            "exec",
            "t-web1",
            "nsenter",
            "--uts=" + run.resolve("t/uts/web1"),
            "--",
            "hostname");
  }
}
