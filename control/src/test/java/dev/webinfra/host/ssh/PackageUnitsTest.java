package dev.webinfra.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one command that lists the service units a server's packages ship, and which are masked
 * ({@link ServerFabric#PACKAGE_UNITS}), run here in a real shell on a dpkg info directory and a
 * unit directory of the test's.
 */
class PackageUnitsTest {
  @TempDir Path dir;

  @Test
  void eachPackagesServicesWithWhetherTheyAreMasked() throws Exception {
    Path info = Files.createDirectories(dir.resolve("info"));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(
        info.resolve("haproxy.list"),
        "/.\n/lib/systemd/system\n/lib/systemd/system/haproxy.service\n/usr/sbin/haproxy\n");
    // Multi-Arch: PACKAGE:ARCH.list; /usr/lib too; a template unit is not a service to mask.
    Files.writeString(
        info.resolve("mariadb-server:amd64.list"),
        "/usr/lib/systemd/system/mariadb.service\n/lib/systemd/system/mariadb@.service\n"
            + "/lib/systemd/system/mariadb.socket\n");
    Files.writeString(info.resolve("nginx-light.list"), "/usr/sbin/nginx\n");
    Files.createSymbolicLink(etc.resolve("haproxy.service"), Path.of("/dev/null"));
    Files.createSymbolicLink(
        etc.resolve("mariadb.service"), Path.of("/lib/systemd/system/mariadb.service"));

    assertThat(run(info, etc, "haproxy", "mariadb-server", "nginx-light", "not-installed"))
        .isEqualTo("haproxy haproxy.service masked\nmariadb-server mariadb.service unmasked\n");
    assertThat(run(info, etc, "not-installed")).as("no package's list there").isEmpty();
  }

  private static String run(Path info, Path etc, String... packages) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh", "-c", ServerFabric.PACKAGE_UNITS, "units", info.toString(), etc.toString()));
    cmd.addAll(List.of(packages));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
