package dev.webinfra.host.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.webinfra.host.DpkgQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one command that asks a server what {@code up} would prepare on it ({@link ServerSurvey}),
 * run here in a real shell on files of the test's, and its answer read back.
 */
class ServerSurveyTest {
  @TempDir Path dir;

  static final String ME = System.getProperty("user.name");

  ServerSurvey.Ask ask(Path manifest, List<String> packages, Optional<ServerSurvey.Key> key)
      throws Exception {
    Path info = Files.createDirectories(dir.resolve("info"));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(info.resolve("haproxy.list"), "/lib/systemd/system/haproxy.service\n");
    Files.createSymbolicLink(etc.resolve("haproxy.service"), Path.of("/dev/null"));
    Files.writeString(info.resolve("nginx-light.list"), "/lib/systemd/system/nginx.service\n");
    return new ServerSurvey.Ask(
        manifest,
        packages,
        List.of("haproxy", "nginx-light"),
        info,
        etc,
        List.of(ME, "no-such-user-webinfra"),
        Optional.of(dir.resolve("runtime/.webinfra-runtime")),
        Optional.of(dir.resolve("lib/webinfra.jar")),
        Optional.of(dir.resolve("etc/webinfra-firewall.service")),
        key);
  }

  @Test
  void itAnswersEachQuestionOnALine() throws Exception {
    Path manifest = dir.resolve("var/lib/webinfra/installed");
    ServerSurvey.Ask a =
        ask(manifest, List.of("bash", "no-such-package-webinfra"), Optional.empty());
    Files.createDirectories(dir.resolve("runtime"));
    Files.writeString(dir.resolve("runtime/.webinfra-runtime"), "abc\n");
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib/webinfra.jar"), "jar");
    String unit = "[Unit]\nDescription='quoted' \"and\" $dollar `tick`\n";
    Files.writeString(dir.resolve("etc/webinfra-firewall.service"), unit);

    ServerSurvey s = ServerSurvey.parse(run(a));

    assertThat(manifest.getParent()).as("the manifest's directory is made first").isDirectory();
    assertThat(DpkgQuery.missing(a.packages(), s.packages()))
        .as("dpkg's answer, as DpkgQuery reads it (this machine is Debian)")
        .containsExactly("no-such-package-webinfra");
    assertThat(s.units())
        .contains("haproxy haproxy.service masked\nnginx-light nginx.service unmasked");
    assertThat(s.users()).containsExactly(ME);
    assertThat(s.runtimeStamp()).contains("abc\n");
    String sha =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest("jar".getBytes(StandardCharsets.UTF_8)));
    assertThat(s.controlJarSum()).contains(sha + "  " + dir.resolve("lib/webinfra.jar") + "\n");
    assertThat(s.firewallUnit()).contains(unit);
    assertThat(s.controllerKey()).isFalse();
  }

  @Test
  void whatIsNotThereIsEmpty() throws Exception {
    ServerSurvey s =
        ServerSurvey.parse(
            run(
                ask(
                    dir.resolve("m/installed"),
                    List.of(),
                    Optional.of(new ServerSurvey.Key(ME, "no such line", "ssh-key " + ME)))));

    assertThat(s.packages()).isEmpty();
    assertThat(s.runtimeStamp()).isEmpty();
    assertThat(s.controlJarSum()).isEmpty();
    assertThat(s.firewallUnit()).isEmpty();
    assertThat(s.controllerKey()).as("a line not in authorized_keys").isFalse();
  }

  @Test
  void aManifestDirectoryThatCannotBeMadeFailsTheCommand() throws Exception {
    Files.writeString(dir.resolve("file"), "");
    ServerSurvey.Ask a = ask(dir.resolve("file/sub/installed"), List.of(), Optional.empty());
    Process p = new ProcessBuilder(ServerSurvey.command(a)).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isNotZero();
  }

  @Test
  void aListingThatFailsIsMissingAndLinesItDoesNotKnowAreIgnored() {
    ServerSurvey s = ServerSurvey.parse("Welcome to the server\npackages \nuser www-data\nkey\n");
    assertThat(s.units()).as("no units line: the listing failed").isEmpty();
    assertThat(s.users()).containsExactly("www-data");
    assertThat(s.controllerKey()).isTrue();
  }

  private static String run(ServerSurvey.Ask a) throws Exception {
    Process p = new ProcessBuilder(ServerSurvey.command(a)).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(err).isZero();
    return out;
  }
}
