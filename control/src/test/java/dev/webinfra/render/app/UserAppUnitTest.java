package dev.webinfra.render.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.host.HostPaths;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A user's app as its unit declares it, from the Flask example: run in its current release as the
 * app's user, told its databases by name (docs/app.md) and never its password, ready when its
 * health path answers, and not scraped (it need not serve /metrics).
 */
class UserAppUnitTest {
  static final Topology FLASK =
      TopologyLoader.load(
          Path.of(System.getProperty("user.dir"))
              .resolveSibling("examples/flask-guestbook/topology.yaml"));
  static final HostPaths PATHS = new HostPaths(Path.of("/var/lib/webinfra/flask/hosts/web1"));

  @Test
  void theFlaskAppRunsUnderGunicornInItsCurrentRelease() {
    var web1 = FLASK.host("web1").orElseThrow();
    DaemonSpec spec = new AppUnit().spec(FLASK, web1, PATHS);
    assertThat(spec.user()).isEqualTo("webinfra");
    assertThat(spec.workdir()).hasToString("/var/lib/webinfra/flask/hosts/web1/app/current");
    assertThat(spec.environment())
        .containsEntry("PORT", "8080")
        .containsEntry("WEBINFRA_HOST", "web1")
        .containsEntry("WEBINFRA_DB_WRITE", "198.18.9.21:3306,198.18.9.22:3306")
        .containsEntry("WEBINFRA_DB_READ", "198.18.9.21:3306,198.18.9.22:3306")
        .containsEntry("WEBINFRA_DB_NAME", "webinfra")
        .containsEntry("WEBINFRA_DB_USER", "webinfra_app")
        .containsEntry(
            "WEBINFRA_DB_PASSWORD_FILE", "/var/lib/webinfra/flask/hosts/web1/etc/app-db.password");
    assertThat(spec.command())
        .containsExactly(
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            "127.0.0.1:8080",
            "--graceful-timeout",
            "8",
            "app:app");
    // The lab runs it from a root shell: the same, as one command line.
    String cmd = String.join(" ", spec.commandLine());
    assertThat(cmd)
        .startsWith(
            "setpriv --reuid=webinfra --regid=webinfra --init-groups -- env -C"
                + " /var/lib/webinfra/flask/hosts/web1/app/current PORT=8080 WEBINFRA_HOST=web1")
        .endsWith(" gunicorn --workers 2 --bind 127.0.0.1:8080 --graceful-timeout 8 app:app");
    assertThat(spec.readiness().command()).endsWith("127.0.0.1", "8080", "/health", "success");
    assertThat(spec.hostFiles())
        .extracting(HostFile::source)
        .containsExactly(HostFile.Source.SECRET, HostFile.Source.APP_RELEASE);
    assertThat(spec.files()).as("no properties file: the environment says it all").isEmpty();
  }

  @Test
  void aReplicaHostReadsItsOwnReplica() {
    var web3 = FLASK.host("web3").orElseThrow();
    assertThat(AppUnit.environment(FLASK, web3, PATHS))
        .containsEntry("WEBINFRA_DB_READ", "198.18.9.23:3306")
        .containsEntry("WEBINFRA_DB_WRITE", "198.18.9.21:3306,198.18.9.22:3306");
  }

  @Test
  void itIsNotScrapedAndIsDrawnByItsKind() {
    var web1 = FLASK.host("web1").orElseThrow();
    var mon = FLASK.host("mon").orElseThrow();
    assertThat(new AppUnit().scrapeTargets(FLASK, web1, mon)).isEmpty();
    assertThat(AppUnit.label(web1)).isEqualTo("(gunicorn)");
    assertThat(dev.webinfra.diagram.DotRenderer.render(FLASK))
        .as("the diagram names the app's kind")
        .contains("application server (gunicorn) :8080");
  }
}
