package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.host.CacheLock;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The Java runtime a server runs webinfra's Java daemons on (the app, the witness, the VIP guard).
 * Debian 12 ships Java 17 and webinfra is built for 21, so webinfra ships its own: a jlink image of
 * the JDK running this CLI, made once per JDK and module list on this machine, kept under {@link
 * #CACHE}, and unpacked on a server into {@link HostPaths#SERVER_RUNTIME} unless the one there is
 * the same (a stamp file holds its digest). About 50 MB as a tarball; a server needs no JDK
 * package.
 */
public final class ServerRuntime {
  /** Where this machine keeps the images it made. */
  public static final Path CACHE = Path.of("/var/cache/webinfra/runtime");

  /**
   * The modules: Java SE (the app's libraries reach java.desktop's beans and java.naming), the HTTP
   * server the witness uses, and what Jetty and the JDBC driver look for when they are there.
   */
  static final List<String> MODULES =
      List.of(
          "java.se",
          "jdk.httpserver",
          "jdk.unsupported",
          "jdk.management",
          "jdk.net",
          "jdk.crypto.ec",
          "jdk.zipfs",
          "jdk.naming.dns",
          "jdk.localedata");

  /**
   * jlink's options besides the modules. The image carries a class-data sharing archive, which a
   * JDK has and a jlink image lacks unless asked: each Java daemon on a server starts sooner (the
   * CLI's {@code --version} about a fifth sooner here, median of 7 runs by farm-bench) and the ones
   * on one host share the archive's pages. The modules stay uncompressed (the tarball is gzipped as
   * a whole), so the tarball stays about 50 MB with the archive in it.
   */
  static final List<String> OPTIONS =
      List.of("--strip-debug", "--no-header-files", "--no-man-pages", "--generate-cds-archive");

  private static final String STAMP = ".webinfra-runtime";

  /** The file on a server that says which runtime is installed there. */
  public static final Path STAMP_FILE = HostPaths.SERVER_RUNTIME.resolve(STAMP);

  private final Path tarball;
  private final String digest;

  private ServerRuntime(Path tarball, String digest) {
    this.tarball = tarball;
    this.digest = digest;
  }

  /**
   * This machine's runtime for servers, made with the jlink of the JDK running webinfra unless the
   * cache has it; each step goes to {@code progress}.
   */
  public static synchronized ServerRuntime local(Consumer<String> progress) {
    Path home = Path.of(System.getProperty("java.home"));
    Path jlink = home.resolve("bin").resolve("jlink");
    Set<String> present =
        ModuleFinder.ofSystem().findAll().stream()
            .map(ModuleReference::descriptor)
            .map(d -> d.name())
            .collect(Collectors.toSet());
    List<String> modules = MODULES.stream().filter(present::contains).toList();
    String key =
        Runtime.version().toString().replaceAll("[^A-Za-z0-9.+-]", "_")
            + "-"
            + Fingerprint.sha256(
                    (String.join(",", modules) + " " + String.join(" ", OPTIONS)).getBytes())
                .substring(0, 12);
    Path dir = CACHE.resolve(key);
    Path tar = dir.resolve("runtime.tar.gz");
    // Every Java server of an up asks; the 50 MB tarball is read once.
    if (made != null && made.tarball.equals(tar) && Files.isRegularFile(tar)) {
      return made;
    }
    if (!Files.isRegularFile(tar)) {
      if (!Files.isExecutable(jlink)) {
        throw WebinfraException.invalidInput(
            "servers need webinfra's Java runtime, made with jlink, and the Java running webinfra ("
                + home
                + ") has none; run webinfra on a JDK of 21 or newer (JAVA_HOME)");
      }
      // Another webinfra making it (testbed prepare, run ahead by ./test) is waited for.
      CacheLock.holding(
          CACHE.resolve(key + ".lock"),
          () ->
              progress.accept(
                  "waiting for the servers' Java runtime in "
                      + dir
                      + ", which another webinfra makes"),
          () -> {
            if (!Files.isRegularFile(tar)) {
              progress.accept("making the servers' Java runtime (jlink of " + home + ") in " + dir);
              make(jlink, modules, dir, tar);
            }
            return null;
          });
    }
    made = new ServerRuntime(tar, digestOf(tar));
    return made;
  }

  // The runtime local() last found, guarded by the class's lock.
  private static ServerRuntime made;

  // Made in a directory beside the final one and moved in place: a crash leaves no half image.
  private static void make(Path jlink, List<String> modules, Path dir, Path tar) {
    Path work = dir.resolveSibling(dir.getFileName() + ".part-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(CACHE);
      dev.webinfra.host.Trees.delete(work);
      Files.createDirectories(work);
      Path image = work.resolve("image");
      Shell.check(
          "jlink the servers' runtime",
          java.util.stream.Stream.of(
                  List.of(jlink.toString(), "--add-modules", String.join(",", modules)),
                  OPTIONS,
                  List.of("--output", image.toString()))
              .flatMap(List::stream)
              .toList(),
          null,
          Duration.ofMinutes(5));
      Shell.check(
          "pack the servers' runtime",
          List.of(
              "tar",
              "-C",
              image.toString(),
              "-czf",
              work.resolve("runtime.tar.gz").toString(),
              "."),
          null,
          Duration.ofMinutes(5));
      dev.webinfra.host.Trees.delete(image);
      dev.webinfra.host.Trees.delete(dir);
      Files.move(work, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the servers' runtime in " + dir, e);
    } finally {
      try {
        dev.webinfra.host.Trees.delete(work);
      } catch (IOException e) {
        // Nothing else in the cache depends on it; the next make removes it first.
      }
    }
  }

  private static String digestOf(Path file) {
    try {
      return Fingerprint.sha256(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the servers' runtime " + file, e);
    }
  }

  /** The tarball of the image. */
  public Path tarball() {
    return tarball;
  }

  /** Whether {@code host} runs this very runtime already. */
  public boolean isOn(HostDriver driver, String host) {
    return stamped(driver.readFile(host, STAMP_FILE));
  }

  /** Whether a runtime whose stamp file reads {@code stamp} (empty: none there) is this one. */
  public boolean stamped(Optional<String> stamp) {
    return stamp.map(s -> s.strip().equals(digest)).orElse(false);
  }

  /**
   * Puts the runtime on {@code host} unless it is there: unpacked beside the old one and swapped in
   * by renames, so that a daemon starting meanwhile finds one whole runtime. Returns whether it
   * did.
   */
  public boolean install(HostDriver driver, String host) {
    if (isOn(driver, host)) {
      return false;
    }
    Path rt = HostPaths.SERVER_RUNTIME;
    Path tmp = rt.resolveSibling("runtime.tar.gz.webinfra");
    driver.copyFile(host, tarball, tmp, "rw-------", null);
    ExecResult r =
        driver.exec(
            host,
            List.of(
                "sh",
                "-c",
                "set -e; rm -rf \"$1.new\" \"$1.old\"; mkdir -p \"$1.new\"; tar -xzf \"$2\" -C"
                    + " \"$1.new\"; echo \"$3\" > \"$1.new/"
                    + STAMP
                    + "\"; if [ -e \"$1\" ]; then mv \"$1\" \"$1.old\"; fi; mv \"$1.new\" \"$1\";"
                    + " rm -rf \"$1.old\" \"$2\"",
                "runtime",
                rt.toString(),
                tmp.toString(),
                digest),
            null,
            Duration.ofMinutes(5));
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": cannot unpack webinfra's Java runtime in "
              + rt
              + ": "
              + r.describe());
    }
    return true;
  }
}
