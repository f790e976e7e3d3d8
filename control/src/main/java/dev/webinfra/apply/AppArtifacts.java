package dev.webinfra.apply;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.Shell;
import dev.webinfra.topology.AppProgram;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What a deploy of a user's app accepts, checked before anything is touched: a runnable jar for a
 * jar app; a codebase directory, or a tarball of one, for a command app.
 */
public final class AppArtifacts {
  private static final String INCOMING = "incoming-";

  private AppArtifacts() {}

  /** The jar or codebase of a user's app that {@code t} names; empty for our guestbook. */
  public static java.util.Optional<Path> named(Topology t) {
    return t.app().artifact();
  }

  /**
   * The release {@code artifact} makes for the app tier of {@code t}; a tarball is unpacked under
   * {@code scratch} first (remove it with {@link #cleanUp}).
   */
  public static Release release(Topology t, Path artifact, Path scratch) {
    AppProgram program = t.app();
    if (!Files.exists(artifact)) {
      throw WebinfraException.invalidInput("deploy: no file or directory at " + artifact);
    }
    return switch (program) {
      case AppProgram.Jar j -> Release.of(runnableJar(artifact));
      case AppProgram.Command c -> Release.of(codebase(artifact, scratch));
      case AppProgram.Guestbook g ->
          throw new IllegalStateException("the guestbook deploys as a jar of the build");
    };
  }

  /** Removes what {@link #release} unpacked for {@code r}, if anything. */
  public static void cleanUp(Release r, Path scratch) {
    Path s = scratch.toAbsolutePath().normalize();
    Path src = r.source().toAbsolutePath().normalize();
    if (src.startsWith(s) && s.relativize(src).getName(0).toString().startsWith(INCOMING)) {
      try {
        dev.webinfra.host.Trees.delete(s.resolve(s.relativize(src).getName(0)));
      } catch (IOException e) {
        throw WebinfraException.unexpectedState(
            "deploy: cannot remove the unpacked " + src + ": " + e.getMessage(), e);
      }
    }
  }

  static Path runnableJar(Path artifact) {
    if (!Files.isRegularFile(artifact)) {
      throw WebinfraException.invalidInput(
          "deploy: " + artifact + " is not a jar; this app runs a jar (app.jar in the topology)");
    }
    try (JarFile jar = new JarFile(artifact.toFile())) {
      var manifest = jar.getManifest();
      if (manifest == null || manifest.getMainAttributes().getValue("Main-Class") == null) {
        throw WebinfraException.invalidInput(
            "deploy: " + artifact + " is not a runnable jar: its manifest names no Main-Class");
      }
    } catch (IOException e) {
      throw WebinfraException.invalidInput(
          "deploy: " + artifact + " is not a jar: " + e.getMessage(), e);
    }
    return artifact;
  }

  static Path codebase(Path artifact, Path scratch) {
    if (Files.isDirectory(artifact)) {
      return artifact;
    }
    String name = artifact.getFileName().toString();
    if (!name.endsWith(".tar.gz") && !name.endsWith(".tgz") && !name.endsWith(".tar")) {
      throw WebinfraException.invalidInput(
          "deploy: "
              + artifact
              + " is neither a codebase directory nor a tarball (.tar.gz, .tgz, .tar) of one");
    }
    try {
      Files.createDirectories(scratch);
      Path into = Files.createTempDirectory(scratch, INCOMING);
      // tar refuses absolute names and, with --no-same-owner, makes every file ours.
      var r =
          Shell.run(
              List.of(
                  "tar",
                  "-xf",
                  artifact.toAbsolutePath().toString(),
                  "-C",
                  into.toString(),
                  "--no-same-owner",
                  "--no-same-permissions"),
              null,
              Duration.ofSeconds(60));
      if (!r.ok()) {
        dev.webinfra.host.Trees.delete(into);
        throw WebinfraException.invalidInput(
            "deploy: cannot unpack " + artifact + ": " + r.stderr().strip());
      }
      // A tarball of one directory (app-1.2/...) is that directory's codebase.
      try (Stream<Path> top = Files.list(into)) {
        List<Path> entries = top.toList();
        return entries.size() == 1 && Files.isDirectory(entries.get(0)) ? entries.get(0) : into;
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "deploy: cannot unpack " + artifact + ": " + e.getMessage(), e);
    }
  }
}
