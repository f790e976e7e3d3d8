package dev.webinfra.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code app} block: what the app tier runs (our guestbook, a jar, a command with its
 * codebase), layered defaults → role → host, with paths relative to the topology file, and each
 * mistake refused at its place in the file.
 */
class AppSettingsTest {
  @TempDir Path dir;

  static final String BASE =
      """
      lab: t
      domain: foobar.com
      networks: { private: { cidr: 198.18.7.0/24 } }
      defaults:
      %s
      hosts:
        web1:
          roles: [web, app, db]
          networks: { private: 198.18.7.21 }
      %s
      """;

  Topology load(String defaults, String host) throws Exception {
    Path file = dir.resolve("site.yaml");
    Files.writeString(file, BASE.formatted(defaults.indent(2), host.indent(4)));
    return TopologyLoader.load(file);
  }

  String error(String defaults, String host) {
    return assertThatThrownBy(() -> load(defaults, host))
        .isInstanceOf(WebinfraException.class)
        .actual()
        .getMessage();
  }

  @Test
  void withoutAnAppBlockTheGuestbookRunsAsBefore() throws Exception {
    Settings.App app =
        load("monitoring: { agent: false }", "").host("web1").orElseThrow().settings().app();
    assertThat(app.guestbook()).isTrue();
    assertThat(app.program().kind()).isEqualTo("Java guestbook");
    assertThat(app.health()).isEqualTo("/health");
    assertThat(app.user()).isEqualTo("webinfra");
    assertThat(app.env()).isEmpty();
  }

  @Test
  void aCommandRunsInItsCodebaseResolvedAgainstTheTopologysDirectory() throws Exception {
    Files.createDirectories(dir.resolve("code"));
    Settings.App app =
        load(
                """
                app:
                  command: [gunicorn, --bind, "127.0.0.1:{port}", "app:app"]
                  dir: code
                  health: /healthz
                  env: { FEATURE: "on" }
                  packages: [gunicorn, python3-flask]
                """,
                "")
            .host("web1")
            .orElseThrow()
            .settings()
            .app();
    AppProgram.Command c = (AppProgram.Command) app.program();
    assertThat(c.dir()).isEqualTo(dir.resolve("code"));
    assertThat(c.argv(8080)).containsExactly("gunicorn", "--bind", "127.0.0.1:8080", "app:app");
    assertThat(c.kind()).isEqualTo("gunicorn");
    assertThat(c.named()).as("where it is named").matches(".*site\\.yaml:\\d+:\\d+");
    assertThat(app.health()).isEqualTo("/healthz");
    assertThat(app.env()).isEqualTo(Map.of("FEATURE", "on"));
    assertThat(app.packages()).containsExactly("gunicorn", "python3-flask");
  }

  @Test
  void aHostsOwnAppReplacesTheDefaultsProgramWhole() throws Exception {
    Files.createDirectories(dir.resolve("code"));
    Files.write(dir.resolve("app.jar"), new byte[] {1});
    Topology t =
        load("app: { command: [gunicorn], dir: code }", "settings: { app: { jar: app.jar } }");
    AppProgram p = t.host("web1").orElseThrow().settings().app().program();
    assertThat(p).isInstanceOf(AppProgram.Jar.class);
    assertThat(p.artifact()).contains(dir.resolve("app.jar"));
  }

  @Test
  void eachMistakeIsRefusedWhereItIsWritten() {
    assertThat(error("app: { jar: missing.jar }", ""))
        .matches(
            "(?s)topology .*site\\.yaml:\\d+:\\d+: defaults\\.app\\.jar: no jar at"
                + " .*missing\\.jar.*");
    assertThat(error("app: { command: [gunicorn] }", ""))
        .contains("defaults.app: command needs dir beside it");
    assertThat(error("app: { dir: . }", "")).contains("dir goes with command");
    assertThat(error("app: { command: [x], dir: ., jar: x.jar }", "")).contains("no jar at");
    assertThat(error("app: { command: [], dir: . }", "")).contains("needs a program");
    assertThat(error("app: { env: { WEBINFRA_DB_NAME: x } }", ""))
        .contains("defaults.app.env.WEBINFRA_DB_NAME: WEBINFRA_DB_NAME is set by webinfra");
    assertThat(error("app: { env: { PORT: '1' } }", "")).contains("PORT is set by webinfra");
    assertThat(error("app: { user: root }", ""))
        .contains("the app runs as an unprivileged user, not root");
    assertThat(error("app: { health: health }", "")).contains("is not a health path");
    assertThat(error("app: { packages: [Not_A_Package] }", ""))
        .contains("is not a Debian package name");
  }

  @Test
  void bothJarAndCommandAreRefused() throws Exception {
    Files.write(dir.resolve("app.jar"), new byte[] {1});
    assertThat(error("app: { command: [x], dir: ., jar: app.jar }", ""))
        .contains("give either jar or command (with dir), not both");
  }

  @Test
  void theAppTierRunsOneAppWithOneHealthPath() throws Exception {
    Files.write(dir.resolve("app.jar"), new byte[] {1});
    Path file = dir.resolve("two.yaml");
    Files.writeString(
        file,
        """
        lab: t
        domain: foobar.com
        networks: { private: { cidr: 198.18.7.0/24 } }
        hosts:
          web1:
            roles: [web, app, db]
            networks: { private: 198.18.7.21 }
          web2:
            roles: [web, app]
            networks: { private: 198.18.7.22 }
            settings: { app: { jar: app.jar } }
          web3:
            roles: [web, app]
            networks: { private: 198.18.7.23 }
            settings: { app: { health: /other } }
        """);
    assertThatThrownBy(() -> TopologyLoader.load(file))
        .hasMessageContaining("host web2: runs another app than web1 (jar vs Java guestbook)")
        .hasMessageContaining("host web3: app.health /other differs from web1's /health");
  }

  @Test
  void aLabsCopyResolvesAgainstTheOriginalsDirectory() throws Exception {
    Files.createDirectories(dir.resolve("code"));
    Path original = dir.resolve("site.yaml");
    Files.writeString(original, BASE.formatted("app: { command: [x], dir: code }".indent(2), ""));
    Path elsewhere = Files.createDirectories(dir.resolve("lab"));
    Path copy = elsewhere.resolve("topology.yaml");
    Files.copy(original, copy);
    Topology t = TopologyLoader.load(copy, dir);
    assertThat(t.host("web1").orElseThrow().settings().app().program().artifact())
        .contains(dir.resolve("code"));
    assertThat(List.of(copy.toString())).as("the copy names itself in errors").contains(t.source());
  }
}
