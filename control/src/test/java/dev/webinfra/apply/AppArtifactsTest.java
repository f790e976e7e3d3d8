package dev.webinfra.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a deploy accepts as a new version, checked before anything is touched. */
class AppArtifactsTest {
  @TempDir Path dir;

  @Test
  void aTarballOfOneDirectoryIsThatCodebaseAndIsRemovedAfter() throws Exception {
    Path code = Files.createDirectories(dir.resolve("src/app-1.2"));
    Files.writeString(code.resolve("app.py"), "print('hi')\n");
    Path tgz = dir.resolve("app-1.2.tar.gz");
    Process tar =
        new ProcessBuilder(
                "tar", "-czf", tgz.toString(), "-C", dir.resolve("src").toString(), "app-1.2")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    Path scratch = dir.resolve("scratch");

    Path unpacked = AppArtifacts.codebase(tgz, scratch);
    assertThat(unpacked.getFileName()).hasToString("app-1.2");
    Release r = Release.of(unpacked);
    assertThat(r.id()).as("the same content as the directory").isEqualTo(Release.of(code).id());
    AppArtifacts.cleanUp(r, scratch);
    try (var left = Files.list(scratch)) {
      assertThat(left.toList()).as("nothing unpacked is left").isEmpty();
    }
    AppArtifacts.cleanUp(Release.of(code), scratch);
    assertThat(code).as("a directory deployed as it is stays").exists();
  }

  @Test
  void theWrongKindOfArtifactIsRefusedSayingWhatIsWanted() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "text");
    assertThatThrownBy(() -> AppArtifacts.codebase(notes, dir.resolve("scratch")))
        .isInstanceOf(WebinfraException.class)
        .hasMessageContaining("is neither a codebase directory nor a tarball");
    assertThatThrownBy(() -> AppArtifacts.runnableJar(notes))
        .isInstanceOf(WebinfraException.class)
        .hasMessageContaining("is not a jar");

    Path noMain = dir.resolve("lib.jar");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (var out = new JarOutputStream(Files.newOutputStream(noMain), m)) {
      out.flush();
    }
    assertThatThrownBy(() -> AppArtifacts.runnableJar(noMain))
        .isInstanceOf(WebinfraException.class)
        .hasMessageContaining("is not a runnable jar: its manifest names no Main-Class");
    assertThatThrownBy(() -> AppArtifacts.runnableJar(dir))
        .hasMessageContaining("is not a jar; this app runs a jar");
    assertThat(List.of(dir.resolve("scratch"))).allMatch(p -> !Files.exists(p));
  }
}
