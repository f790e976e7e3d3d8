package dev.webinfra.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases: named by their content, kept on this machine newest last, so that up keeps a deployed
 * release and a rollback finds the one before, even after its source changed.
 */
class ReleasesTest {
  @TempDir Path dir;

  Path codebase(String name, String version) throws Exception {
    Path code = Files.createDirectories(dir.resolve(name));
    Files.writeString(code.resolve("app.py"), "print('hi')\n");
    Files.writeString(code.resolve("VERSION"), version + "\n");
    Files.createDirectories(code.resolve("__pycache__"));
    Files.writeString(code.resolve("__pycache__/app.cpython-311.pyc"), "bytes " + name);
    return code;
  }

  @Test
  void aReleaseIsNamedByItsContentAlone() throws Exception {
    Release a = Release.of(codebase("a", "1.0.0"));
    Release b = Release.of(codebase("b", "1.0.0"));
    Release c = Release.of(codebase("c", "1.0.1"));
    assertThat(a.id()).as("same files, other place and other caches").isEqualTo(b.id());
    assertThat(c.id()).isNotEqualTo(a.id());
    assertThat(a.entries())
        .extracting(e -> e.relative().toString())
        .containsExactly("VERSION", "app.py");

    Path run = codebase("d", "1.0.0").resolve("app.py");
    run.toFile().setExecutable(true);
    assertThat(Release.of(run.getParent()).id()).as("the exec bit counts").isNotEqualTo(a.id());
  }

  @Test
  void aJarIsOneFileNamedAppJar() throws Exception {
    Path jar = Files.write(dir.resolve("mine-2.3.jar"), new byte[] {1, 2, 3});
    assertThat(Release.of(jar).entries())
        .extracting(e -> e.relative().toString())
        .containsExactly("app.jar");
    assertThatThrownBy(() -> Release.of(dir.resolve("none")))
        .isInstanceOf(WebinfraException.class)
        .hasMessageContaining("neither a jar nor a codebase directory");
  }

  @Test
  void theHistoryKeepsCopiesForUpAndRollback() throws Exception {
    Releases releases = new Releases(dir.resolve("store"));
    Path code = codebase("code", "1.0.0");
    assertThat(releases.current()).isEmpty();
    Release first = releases.forUp(code);
    assertThat(Files.exists(dir.resolve("store"))).as("forUp only reads").isFalse();

    releases.record(first, code);
    Files.writeString(code.resolve("VERSION"), "1.0.1\n");
    assertThat(releases.forUp(code).id())
        .as("up keeps what was deployed from the same artifact")
        .isEqualTo(first.id());
    Release second = Release.of(code);
    Release kept = releases.record(second, code);
    assertThat(kept.source()).isEqualTo(dir.resolve("store").resolve(second.id()));
    assertThat(releases.previous().orElseThrow().release().id()).isEqualTo(first.id());
    assertThat(
            Files.readString(
                releases.previous().orElseThrow().release().source().resolve("VERSION")))
        .as("the copy kept, though the source changed")
        .isEqualTo("1.0.0\n");

    releases.record(second, code);
    assertThat(releases.previous().orElseThrow().release().id())
        .as("recording the current one again adds nothing")
        .isEqualTo(first.id());

    releases.dropCurrent();
    assertThat(releases.current().orElseThrow().release().id()).isEqualTo(first.id());
    assertThat(releases.previous()).isEmpty();
    Path elsewhere = codebase("elsewhere", "2.0.0");
    assertThat(releases.forUp(elsewhere).source())
        .as("a topology naming another artifact gets it, not the deployed one")
        .isEqualTo(elsewhere);
  }
}
